import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesizeModel } from '@dte/engine-core';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** Where the generated default model is cached (inside node_modules, never committed). */
export const DEFAULT_MODEL_PATH = join(
  REPO_ROOT,
  'node_modules',
  '.cache',
  'dte-models',
  'echo-untrained-tiny-q8_0.gguf',
);

/** How the default model is labelled wherever it is used. */
export const DEFAULT_MODEL_LABEL =
  'echo-untrained (synthetic tiny llama, Q8_0, random weights: UNTRAINED, its choices are noise)';

/**
 * The model `dte run` uses when `--model` is absent: no trained model ships yet, so the project
 * generates a small synthetic llama (fixed seed, generated SentencePiece vocabulary) once and caches it.
 */
export function ensureDefaultModel(): string {
  if (!existsSync(DEFAULT_MODEL_PATH)) {
    mkdirSync(dirname(DEFAULT_MODEL_PATH), { recursive: true });
    const bytes = synthesizeModel({ arch: 'llama', params: 'tiny', type: 'Q8_0', seed: 20261124 });
    const tmp = `${DEFAULT_MODEL_PATH}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, DEFAULT_MODEL_PATH);
  }
  return DEFAULT_MODEL_PATH;
}
