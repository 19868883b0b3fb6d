// Test-only helper (not exported from the barrel): locates ../shared/models like test/support/shared.ts,
// which lies outside engine-core's tsconfig rootDir and so cannot be imported from here.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = process.env.DTE_SHARED_MODELS ?? fileURLToPath(new URL('../../../../shared/models', import.meta.url));

/** Absolute path of a file in the shared model folder. */
export function sharedModel(name: string): string {
  return join(DIR, name);
}

/** True when the shared model file exists; otherwise logs why the dependent tests skip. */
export function hasSharedModel(name = 'stories260K.gguf'): boolean {
  const ok = existsSync(sharedModel(name));
  if (!ok) console.warn(`[skip] ${sharedModel(name)} is absent: tests that need it are skipped (CI always has it).`);
  return ok;
}
