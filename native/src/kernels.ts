import type { CpuInfo, IsaName, MemBandwidthResult, RopeOptions } from './bindingTypes.ts';
import { forcedIsa, loadBinding } from './loadBinding.ts';

// Typed, synchronous entry points to the CPU kernels. Bad arguments throw a TypeError whose `code` is
// DTE_ERR_NATIVE_BAD_ARGUMENT (validated in C++; nothing reaches a kernel unchecked).

/** y[i*n+j] = Σ x[i*k+kk]·W[j][kk]: `weights` holds n rows of k elements of ggml type `type`, x is [m×k]. */
export function matmul(
  type: number,
  weights: Uint8Array,
  k: number,
  n: number,
  x: Float32Array,
  m: number,
): Float32Array {
  return loadBinding().matmul(type, weights, k, n, x, m);
}

/** RMS norm of each of m rows of n: x / sqrt(mean(x²) + eps) · w (w null: no scaling). */
export function rmsNorm(x: Float32Array, w: Float32Array | null, m: number, n: number, eps: number): Float32Array {
  return loadBinding().rmsNorm(x, w, m, n, eps);
}

/** Rotary embedding of x [m][nHeads][headDim] at positions `pos` [m]; returns a rotated copy. */
export function rope(
  x: Float32Array,
  pos: Int32Array,
  m: number,
  nHeads: number,
  headDim: number,
  options: RopeOptions = {},
): Float32Array {
  return loadBinding().rope(x, pos, m, nHeads, headDim, options);
}

/** silu(gate) · up, element-wise. */
export function siluMul(gate: Float32Array, up: Float32Array): Float32Array {
  return loadBinding().siluMul(gate, up);
}

/** x [m×n] + b [n] broadcast over rows (returns a new array). */
export function addBias(x: Float32Array, b: Float32Array, m: number, n: number): Float32Array {
  return loadBinding().addBias(x, b, m, n);
}

/** Dequantised rows `ids` of a table of nRows rows of k elements (embedding gather). */
export function getRows(type: number, table: Uint8Array, k: number, nRows: number, ids: Int32Array): Float32Array {
  return loadBinding().getRows(type, table, k, nRows, ids);
}

/** Softmax of each of m rows of n (returns a new array). */
export function softmax(x: Float32Array, m: number, n: number): Float32Array {
  return loadBinding().softmax(x, m, n);
}

/** Index of the first maximum. */
export function argmax(x: Float32Array): number {
  return loadBinding().argmax(x);
}

/** nElements values of ggml type `type` → f32. */
export function dequantize(type: number, data: Uint8Array, nElements: number): Float32Array {
  return loadBinding().dequantize(type, data, nElements);
}

/**
 * f32 → bytes of any supported type (ggml layout; length a multiple of the block size). Q4_K/Q6_K use a
 * simple range-based scale choice (not llama.cpp's search); every format decodes with ggml's dequantizer.
 */
export function quantizeRow(type: number, x: Float32Array): Uint8Array {
  return loadBinding().quantizeRow(type, x);
}

/** Sets the kernel pool's thread count (the calling thread included); returns the new count. */
export function setNumThreads(n: number): number {
  return loadBinding().setNumThreads(n);
}

/** The kernel pool's thread count. */
export function getNumThreads(): number {
  return loadBinding().getNumThreads();
}

/** CPU features and the kernel path in use. */
export function cpuInfo(): CpuInfo {
  return loadBinding().cpuInfo();
}

/**
 * The kernel paths a test or benchmark run should exercise: the one `DTE_NATIVE_ISA` forces, else
 * every path this CPU runs (lowest first).
 */
export function selectedIsaPaths(): IsaName[] {
  const { available } = cpuInfo(); // loads the binding, which rejects a path the CPU cannot run
  const forced = forcedIsa();
  return forced === undefined ? available : [forced as IsaName];
}

/** Forces a kernel path; throws DTE_ERR_NATIVE_ISA_UNAVAILABLE when the CPU cannot run it. */
export function setIsa(isa: IsaName): IsaName {
  return loadBinding().setIsa(isa);
}

/** Streaming-read bandwidth with the kernel pool: reads `bytes` `reps` times. */
export function memBandwidth(bytes = 256 * 1024 * 1024, reps = 5): MemBandwidthResult {
  return loadBinding().memBandwidth(bytes, reps);
}
