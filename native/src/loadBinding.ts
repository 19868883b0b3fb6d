import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type IsaName, type NativeBinding, narrowBinding } from './bindingTypes.ts';
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

/**
 * The addon for this process (loaded once from `bindingCandidates()`). `DTE_NATIVE_ISA` (generic, avx2,
 * amx), when set, forces the kernel path; a name the CPU cannot run (or no path at all) throws
 * `DTE_ERR_NATIVE_ISA_UNAVAILABLE` rather than silently running another path.
 */
export function loadBinding(): NativeBinding {
  if (cached) return cached;
  const binding = loadBindingFrom(bindingCandidates());
  applyForcedIsa(binding);
  cached = binding;
  return cached;
}

/**
 * Puts the binding on the path `DTE_NATIVE_ISA` names, if set. Throws `DTE_ERR_NATIVE_ISA_UNAVAILABLE`
 * for a name that is not a path or that this CPU cannot run.
 */
export function applyForcedIsa(binding: NativeBinding, env: NodeJS.ProcessEnv = process.env): void {
  const forced = forcedIsa(env);
  if (forced === undefined) return;
  const { available } = binding.cpuInfo();
  if (!(available as string[]).includes(forced)) {
    throw new NativeError(
      'DTE_ERR_NATIVE_ISA_UNAVAILABLE',
      `DTE_NATIVE_ISA=${forced}: not a path this CPU runs (it runs ${available.join(', ')})`,
    );
  }
  binding.setIsa(forced as IsaName);
}

/** The path `DTE_NATIVE_ISA` forces, or undefined when it is unset or empty. */
export function forcedIsa(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env.DTE_NATIVE_ISA?.trim();
  return v === undefined || v === '' ? undefined : v;
}
