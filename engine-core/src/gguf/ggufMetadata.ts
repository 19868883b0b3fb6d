import { EngineError } from '../EngineError.ts';
import type { GgufFile, GgufValue } from './GgufFile.ts';

function missing(fn: string, key: string, what: string): never {
  throw new EngineError('DTE_ERR_GGUF_MISSING_KEY', `${fn}: metadata key "${key}" ${what}`);
}

/**
 * The string at `key`; throws `DTE_ERR_GGUF_MISSING_KEY` when absent or not a string.
 * @example getString(file, 'general.architecture') // 'llama'
 */
export function getString(file: GgufFile, key: string): string {
  const v = getOptionalString(file, key);
  return v ?? missing('getString', key, 'is absent');
}

/** The string at `key`, or undefined when absent; throws when present with another type. */
export function getOptionalString(file: GgufFile, key: string): string | undefined {
  const v = file.metadata.get(key);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') missing('getOptionalString', key, 'is not a string');
  return v;
}

/**
 * The number at `key` (any integer or float type; a 64-bit value beyond 2^53 is rejected).
 * @example getNumber(file, 'llama.block_count') // 5
 */
export function getNumber(file: GgufFile, key: string): number {
  const v = getOptionalNumber(file, key);
  return v ?? missing('getNumber', key, 'is absent');
}

/** The number at `key`, or undefined when absent; throws when present with another type. */
export function getOptionalNumber(file: GgufFile, key: string): number | undefined {
  const v = file.metadata.get(key);
  if (v === undefined) return undefined;
  if (typeof v !== 'number') missing('getOptionalNumber', key, 'is not a (safe) number');
  return v;
}

/** The boolean at `key`, or undefined when absent; throws when present with another type. */
export function getOptionalBoolean(file: GgufFile, key: string): boolean | undefined {
  const v = file.metadata.get(key);
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') missing('getOptionalBoolean', key, 'is not a boolean');
  return v;
}

/** The string array at `key` (e.g. `tokenizer.ggml.tokens`); throws when absent or another type. */
export function getStringArray(file: GgufFile, key: string): string[] {
  const v = file.metadata.get(key);
  if (v === undefined) missing('getStringArray', key, 'is absent');
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string'))
    missing('getStringArray', key, 'is not a string array');
  return v as string[];
}

/** The numeric array at `key` as numbers (typed arrays and number[]), or undefined when absent. */
export function getOptionalNumberArray(file: GgufFile, key: string): ArrayLike<number> | undefined {
  const v: GgufValue | undefined = file.metadata.get(key);
  if (v === undefined) return undefined;
  if (ArrayBuffer.isView(v) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array))
    return v as ArrayLike<number>;
  missing('getOptionalNumberArray', key, 'is not a numeric array');
}
