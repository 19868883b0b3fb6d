import { matmul, quantizeRow, selectedIsaPaths, setIsa } from '@dte/native';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_WORSE_FACTOR } from '../../test/support/accuracyContract.ts';
import { dequantize } from '../gguf/dequantize.ts';
import { GGML_TYPE } from '../gguf/GGML_TYPE.ts';
import { NATIVE_ACTIVATION_SCHEME, roundActivations } from './roundActivations.ts';

// The accuracy contracts of test/support/accuracyContract.ts at the level of one quantized matmul, on
// every ISA path (AMX tiles, AVX2, portable; only the forced one under DTE_NATIVE_ISA). One matmul has
// no later rounding for a flip to cascade into, so the same-rounding check is tight here.

const PATHS = selectedIsaPaths();
afterAll(() => {
  setIsa(PATHS.at(-1)!);
});

const QUANTIZED = [
  { name: 'Q8_0', type: GGML_TYPE.Q8_0, block: 32 },
  { name: 'Q4_0', type: GGML_TYPE.Q4_0, block: 32 },
  { name: 'Q4_K', type: GGML_TYPE.Q4_K, block: 256 },
  { name: 'Q6_K', type: GGML_TYPE.Q6_K, block: 256 },
] as const;
const K = 512;
const N = 48; // whole groups of 16 weight rows, so the AMX path takes them
const MS = [1, 3, 17, 64];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function normals(n: number, next: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
  return out;
}

function quantizedWeights(type: number, next: () => number): { bytes: Uint8Array; values: Float32Array } {
  const rows: Uint8Array[] = [];
  for (let r = 0; r < N; r++) rows.push(quantizeRow(type, normals(K, next)));
  const bytes = new Uint8Array(rows.reduce((n, r) => n + r.length, 0));
  let o = 0;
  for (const r of rows) {
    bytes.set(r, o);
    o += r.length;
  }
  return { bytes, values: dequantize(type, bytes, K * N) };
}

/** y = x · Wᵀ in f64 from f32 inputs. */
function dot64(x: Float32Array, w: Float32Array, m: number): Float64Array {
  const y = new Float64Array(m * N);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += x[i * K + k]! * w[j * K + k]!;
      y[i * N + j] = s;
    }
  }
  return y;
}

/** ‖a − b‖₂ / ‖b‖₂. */
function nrms(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    e += (a[i]! - b[i]!) ** 2;
    s += b[i]! ** 2;
  }
  return Math.sqrt(e / s);
}

/**
 * Activations that every scheme quantizes exactly: per block, integers in [-127, 127] times a power of
 * two, with ±127 present so that the block's scale is that power of two.
 */
function exactlyQuantizable(m: number, block: number, next: () => number): Float32Array {
  const x = new Float32Array(m * K);
  for (let b = 0; b < x.length; b += block) {
    const scale = 2 ** (Math.floor(next() * 6) - 3);
    for (let j = b; j < b + block; j++) x[j] = (Math.floor(next() * 255) - 127) * scale;
    x[b + Math.floor(next() * block)] = (next() < 0.5 ? -127 : 127) * scale;
  }
  return x;
}

describe.each(PATHS)('quantized matmul on the %s path', (isa) => {
  it.each(QUANTIZED)(
    '$name: nothing to round ⇒ equal to the f64 dot of the dequantized weights (same rounding)',
    ({ type, block }) => {
      setIsa(isa);
      const next = rng(100 + type);
      const w = quantizedWeights(type, next);
      for (const m of MS) {
        const x = exactlyQuantizable(m, block, next);
        const want = dot64(x, w.values, m);
        // f32 accumulation of exact integer block products: float noise only.
        expect(nrms(matmul(type, w.bytes, K, N, x, m), want), `m=${m}`).toBeLessThanOrEqual(1e-6);
      }
    },
  );

  it.each(QUANTIZED)(
    '$name: rounds activations as ggml does, and is no worse than that rounding (both contracts)',
    ({ type }) => {
      setIsa(isa);
      const next = rng(200 + type);
      const w = quantizedWeights(type, next);
      const scheme = NATIVE_ACTIVATION_SCHEME[type]!;
      for (const m of MS) {
        const x = normals(m * K, next);
        const ours = matmul(type, w.bytes, K, N, x, m);
        const exact = dot64(x, w.values, m);
        const emulated = dot64(roundActivations(scheme, x), w.values, m);
        // Same rounding: the median activation row equals ggml's scheme emulated (a row can differ by one
        // flipped value that sat within an ulp of a rounding boundary).
        const rowErr = Array.from({ length: m }, (_, i) =>
          nrms(ours.subarray(i * N, (i + 1) * N), emulated.subarray(i * N, (i + 1) * N)),
        ).sort((a, b) => a - b);
        expect(rowErr[(m - 1) >> 1], `m=${m}: median row vs ${scheme} emulated`).toBeLessThanOrEqual(1e-6);
        // No worse than: our error against the f32-activation product is the scheme's error (× 1.25).
        expect(nrms(ours, exact), `m=${m}`).toBeLessThanOrEqual(NO_WORSE_FACTOR * nrms(emulated, exact));
      }
    },
  );
});
