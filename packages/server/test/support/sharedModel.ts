import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Same rule as the repository's test/support/shared.ts (restated here: importing a file outside this
// workspace's rootDir breaks `tsc -p packages/server`).
const SHARED_MODELS_DIR =
  process.env.DTE_SHARED_MODELS ??
  resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..', 'shared', 'models');

/** Absolute path of a file in the shared model folder. */
export function sharedModel(name: string): string {
  return join(SHARED_MODELS_DIR, name);
}

/** True when the shared model exists; otherwise logs why the dependent tests skip. */
export function hasSharedModel(name = 'stories260K.gguf'): boolean {
  const ok = existsSync(sharedModel(name));
  if (!ok)
    console.warn(
      `[skip] ${sharedModel(name)} is absent: tests that need the shared model are skipped (CI always has it).`,
    );
  return ok;
}
