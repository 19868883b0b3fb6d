import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type NativeBinding, narrowBinding } from './bindingTypes.ts';
import { type BindingAttempt, NativeError } from './NativeError.ts';

const NATIVE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the loader looks, in order: `DTE_NATIVE_BINDING` (if set), then build/Release, then build/Debug. */
export function bindingCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const list: string[] = [];
  const override = env.DTE_NATIVE_BINDING;
  if (override !== undefined && override !== '') list.push(resolve(override));
  list.push(resolve(NATIVE_ROOT, 'build', 'Release', 'dte_native.node'));
  list.push(resolve(NATIVE_ROOT, 'build', 'Debug', 'dte_native.node'));
  return list;
}

/**
 * Loads the addon from the first candidate that works. Throws a `NativeError` with code
 * `DTE_ERR_NATIVE_LOAD` listing every path tried and its failure when none does.
 */
export function loadBindingFrom(candidates: readonly string[]): NativeBinding {
  const require = createRequire(import.meta.url);
  const attempts: BindingAttempt[] = [];
  for (const path of candidates) {
    if (!existsSync(path)) {
      attempts.push({ path, reason: 'file not found' });
      continue;
    }
    let raw: unknown;
    try {
      raw = require(path);
    } catch (err) {
      attempts.push({ path, reason: err instanceof Error ? err.message : String(err) });
      continue;
    }
    return narrowBinding(raw, path);
  }
  const lines = attempts.map((a) => `  ${a.path}: ${a.reason}`).join('\n');
  throw new NativeError(
    'DTE_ERR_NATIVE_LOAD',
    `could not load the @dte/native addon (build it with \`npm run build -w native\`); tried:\n${lines}`,
    attempts,
  );
}

let cached: NativeBinding | undefined;

/** The addon for this process (loaded once from `bindingCandidates()`). */
export function loadBinding(): NativeBinding {
  cached ??= loadBindingFrom(bindingCandidates());
  return cached;
}
