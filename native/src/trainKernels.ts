import { loadBinding } from './loadBinding.ts';

// Typed, synchronous entry points to the training kernels (src/kernels/cpu/train). Dense row-major
// float32 buffers; outputs are caller-allocated. Bad arguments throw a TypeError whose `code` is
// DTE_ERR_NATIVE_BAD_ARGUMENT. Results do not depend on the thread count.

/** Shape of causal multi-head attention over `numSeqs` sequences of `seqLen` tokens (GQA: nHead % nHeadKv = 0). */
export interface AttentionTrainShape {
  numSeqs: number;
  seqLen: number;
  nHead: number;
  nHeadKv: number;
  headDim: number;
}

const dims = (s: AttentionTrainShape) => [s.numSeqs, s.seqLen, s.nHead, s.nHeadKv, s.headDim] as const;

/**
 * Causal attention forward: q [T][nHead][headDim], k and v [T][nHeadKv][headDim] (T = numSeqs·seqLen);
 * writes out [T][nHead][headDim] and probs [numSeqs][nHead][seqLen][seqLen] (kept for the backward).
 */
export function attentionTrainForward(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  s: AttentionTrainShape,
  out: Float32Array,
  probs: Float32Array,
): void {
  loadBinding().attentionTrainForward(q, k, v, out, probs, ...dims(s));
}

/** Backward of {@link attentionTrainForward} from its probabilities; accumulates into dq, dk, dv. */
export function attentionTrainBackward(
  dOut: Float32Array,
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  probs: Float32Array,
  s: AttentionTrainShape,
  dq: Float32Array,
  dk: Float32Array,
  dv: Float32Array,
): void {
  loadBinding().attentionTrainBackward(dOut, q, k, v, probs, dq, dk, dv, ...dims(s));
}

/**
 * c [m×n] = op(a)·op(b), or c += op(a)·op(b) with `accumulate`: a is [m×k] (or [k×m] read transposed
 * with `transA`), b is [k×n] (or [n×k] with `transB`). c may not overlap a or b.
 * @example gemmF32(false, true, m, n, k, x, w, y, false) // y = x·Wᵀ, a linear layer
 */
export function gemmF32(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  accumulate: boolean,
): void {
  loadBinding().gemmF32(transA, transB, m, n, k, a, b, c, accumulate);
}

/** Backward of `rmsNorm(x, w, m, n, eps)`: accumulates into dx [m×n] and dw [n]. */
export function rmsNormBackward(
  dy: Float32Array,
  x: Float32Array,
  w: Float32Array,
  m: number,
  n: number,
  eps: number,
  dx: Float32Array,
  dw: Float32Array,
): void {
  loadBinding().rmsNormBackward(dy, x, w, m, n, eps, dx, dw);
}

/** Backward of `siluMul(gate, up)`: accumulates into dGate and dUp (all of gate's length). */
export function siluMulBackward(
  dOut: Float32Array,
  gate: Float32Array,
  up: Float32Array,
  dGate: Float32Array,
  dUp: Float32Array,
): void {
  loadBinding().siluMulBackward(dOut, gate, up, dGate, dUp);
}

/**
 * Mean cross-entropy of logits [m×v] against targets [m] (negative: not scored); overwrites dLogits
 * with its gradient, (softmax − onehot) / numScored, zero on rows not scored. Returns 0 when nothing is scored.
 */
export function crossEntropy(
  logits: Float32Array,
  targets: Int32Array,
  m: number,
  v: number,
  dLogits: Float32Array,
): number {
  return loadBinding().crossEntropy(logits, targets, m, v, dLogits);
}
