import { hgError } from './errors.ts';
import type { AtomValue } from './types.ts';

/** JSON form of an `AtomValue`: Float32Array becomes `{ f32: number[] }` (exact: float32 fits a double). */
export type EncodedValue = string | number | boolean | number[] | { f32: number[] };

/** Encodes a value for JSON persistence. */
export function encodeValue(v: AtomValue): EncodedValue {
  if (v instanceof Float32Array) return { f32: Array.from(v) };
  if (Array.isArray(v)) return v.slice();
  return v as string | number | boolean;
}

/** Decodes a value written by `encodeValue`; throws `DTE_ERR_HG_BAD_SNAPSHOT` on anything else. */
export function decodeValue(e: unknown): AtomValue {
  if (typeof e === 'string' || typeof e === 'number' || typeof e === 'boolean') return e;
  if (Array.isArray(e) && e.every((x) => typeof x === 'number')) return e as number[];
  if (e !== null && typeof e === 'object' && Array.isArray((e as { f32?: unknown }).f32)) {
    return Float32Array.from((e as { f32: number[] }).f32);
  }
  throw hgError('DTE_ERR_HG_BAD_SNAPSHOT', 'decodeValue', 'unrecognised value encoding');
}
