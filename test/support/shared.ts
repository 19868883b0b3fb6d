import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (the folder holding the top-level package.json). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The shared test models: `../shared/models` beside the repository, or the folder named by
 * `DTE_SHARED_MODELS`. CI always has it; a fresh user machine may not.
 */
export const SHARED_MODELS_DIR = process.env.DTE_SHARED_MODELS ?? resolve(REPO_ROOT, '..', 'shared', 'models');

/** Where each shared model comes from publicly, and its checksum (the files are never committed here). */
export const SHARED_MODEL_ORIGINS: Record<string, { url: string; sha256: string; bytes: number }> = {
  'stories260K.gguf': {
    url: 'https://huggingface.co/ggml-org/models/resolve/main/tinyllamas/stories260K.gguf',
    sha256: '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d',
    bytes: 1_185_376,
  },
  'stories260K.bin': {
    url: 'https://huggingface.co/karpathy/tinyllamas/resolve/main/stories260K/stories260K.bin',
    sha256: 'b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696',
    bytes: 1_056_540,
  },
  'tok512.bin': {
    url: 'https://huggingface.co/karpathy/tinyllamas/resolve/main/stories260K/tok512.bin',
    sha256: '037cb335abb25d1fa9e8ecae30ed2a3a8ace9302862ebcdc05d51a6bbb10c312',
    bytes: 6_227,
  },
};

/** Absolute path of a file in the shared model folder. */
export function sharedModel(name: string): string {
  return join(SHARED_MODELS_DIR, name);
}

/** The skip message for a missing shared model: where to get it and how to check it. */
export function sharedModelHint(name: string): string {
  const origin = SHARED_MODEL_ORIGINS[name];
  const where = origin
    ? `download it from ${origin.url} (sha256 ${origin.sha256}, ${origin.bytes} bytes)`
    : 'place it there';
  return `${sharedModel(name)} is absent: tests that need it are skipped; ${where} into ${SHARED_MODELS_DIR} or point DTE_SHARED_MODELS at its folder`;
}

const warned = new Set<string>();

/** True when the shared model file exists; otherwise logs (once per file) why the dependent tests skip. */
export function hasSharedModel(name = 'stories260K.gguf'): boolean {
  const ok = existsSync(sharedModel(name));
  if (!ok && !warned.has(name)) {
    warned.add(name);
    console.warn(`[skip] ${sharedModelHint(name)}.`);
  }
  return ok;
}
