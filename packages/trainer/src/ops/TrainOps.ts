import { type AttentionShape, attentionBackward, attentionForward } from './attention.ts';
import { crossEntropy } from './crossEntropy.ts';
import { matmulBackward, matmulForward } from './matmul.ts';
import { rmsNormBackward, rmsNormForward } from './rmsNorm.ts';
import { rope } from './rope.ts';
import { swigluBackward, swigluForward } from './swiglu.ts';
import type { Vec } from './Vec.ts';

/**
 * The ops a Llama decoder's forward and backward are made of, as one swappable set: the TypeScript
 * reference ({@link TS_OPS}, float32 or float64 for gradient checks) or the native kernels
 * (`NATIVE_OPS`, float32). Backward ops accumulate into their gradient buffers.
 */
export interface TrainOps {
  /** y [m×n] = x [m×k] · Wᵀ (W is [n×k]). */
  linear(x: Vec, w: Vec, m: number, k: number, n: number): Vec;
  /** dx += dy·W (skipped when dx is null), dW += dyᵀ·x. */
  linearBackward(dy: Vec, x: Vec, w: Vec, m: number, k: number, n: number, dx: Vec | null, dw: Vec): void;
  /** y = x / rms(x) ⊙ g per row; `saved` is what the backward needs besides x (1/rms per row, or nothing). */
  rmsNorm(x: Vec, g: Vec, m: number, n: number, eps: number): { y: Vec; saved: Float64Array | null };
  rmsNormBackward(
    dy: Vec,
    x: Vec,
    g: Vec,
    saved: Float64Array | null,
    m: number,
    n: number,
    eps: number,
    dx: Vec,
    dg: Vec,
  ): void;
  /** silu(gate) ⊙ up. */
  swiglu(gate: Vec, up: Vec): Vec;
  swigluBackward(dOut: Vec, gate: Vec, up: Vec, dGate: Vec, dUp: Vec): void;
  /** Adjacent-pair rotary embedding of x [T][nHeads][headDim]; `inverse` rotates back (its backward). */
  rope(x: Vec, pos: Int32Array, nHeads: number, headDim: number, base: number, inverse: boolean): Vec;
  attention(q: Vec, k: Vec, v: Vec, s: AttentionShape): { out: Vec; probs: Vec };
  attentionBackward(dOut: Vec, q: Vec, k: Vec, v: Vec, probs: Vec, s: AttentionShape, dq: Vec, dk: Vec, dv: Vec): void;
  /** Mean cross-entropy over targets ≥ 0 and its gradient with respect to the logits [N×V]. */
  crossEntropy(logits: Vec, targets: Int32Array, v: number): { loss: number; dLogits: Vec };
}

/** The TypeScript reference ops (any float width). */
export const TS_OPS: TrainOps = {
  linear: matmulForward,
  linearBackward: matmulBackward,
  rmsNorm(x, g, m, n, eps) {
    const { y, rstd } = rmsNormForward(x, g, m, n, eps);
    return { y, saved: rstd };
  },
  rmsNormBackward(dy, x, g, saved, m, n, eps, dx, dg) {
    rmsNormBackward(dy, x, g, saved ?? rmsNormForward(x, g, m, n, eps).rstd, m, n, dx, dg);
  },
  swiglu: swigluForward,
  swigluBackward,
  rope,
  attention: attentionForward,
  attentionBackward,
  crossEntropy,
};
