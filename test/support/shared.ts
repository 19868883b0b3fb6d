import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (the folder holding the top-level package.json). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `../shared/models` beside the repository; CI always has it, a fresh user machine may not. */
export const SHARED_MODELS_DIR = process.env.DTE_SHARED_MODELS ?? resolve(REPO_ROOT, '..', 'shared', 'models');

/** Absolute path of a file in the shared model folder. */
export function sharedModel(name: string): string {
  return join(SHARED_MODELS_DIR, name);
}

/** True when the shared model file exists; otherwise logs why the dependent tests skip. */
export function hasSharedModel(name = 'stories260K.gguf'): boolean {
  const ok = existsSync(sharedModel(name));
  if (!ok) {
    console.warn(
      `[skip] ${sharedModel(name)} is absent: tests that need the shared model are skipped (CI always has it).`,
    );
  }
  return ok;
}
