import {
  attentionTrainBackward,
  attentionTrainForward,
  crossEntropy,
  gemmF32,
  rmsNorm,
  rmsNormBackward,
  rope,
  siluMul,
  siluMulBackward,
} from '@dte/native';
import { type TrainOps, TS_OPS } from './TrainOps.ts';
import type { Vec } from './Vec.ts';

const f32 = (...xs: (Vec | null)[]): boolean => xs.every((x) => x === null || x instanceof Float32Array);

/**
 * {@link TrainOps} on `@dte/native`'s kernels (threaded, SIMD): linear layers as one GEMM each
 * (transposes absorbed by its packing), RMSNorm, SwiGLU, RoPE (the engine's own kernels for the forward),
 * causal attention and the cross-entropy. Float64 buffers (gradient checks) take the TypeScript path.
 * Inverse RoPE is RoPE at negated positions (a rotation by −θ).
 */
export const NATIVE_OPS: TrainOps = {
  linear(x, w, m, k, n) {
    if (!(x instanceof Float32Array && w instanceof Float32Array)) return TS_OPS.linear(x, w, m, k, n);
    const y = new Float32Array(m * n);
    gemmF32(false, true, m, n, k, x, w, y, false);
    return y;
  },
  linearBackward(dy, x, w, m, k, n, dx, dw) {
    if (!(dy instanceof Float32Array && x instanceof Float32Array && w instanceof Float32Array && f32(dx, dw))) {
      TS_OPS.linearBackward(dy, x, w, m, k, n, dx, dw);
      return;
    }
    if (dx) gemmF32(false, false, m, k, n, dy, w, dx as Float32Array, true);
    gemmF32(true, false, n, k, m, dy, x, dw as Float32Array, true);
  },
  rmsNorm(x, g, m, n, eps) {
    if (!(x instanceof Float32Array && g instanceof Float32Array)) return TS_OPS.rmsNorm(x, g, m, n, eps);
    return { y: rmsNorm(x, g, m, n, eps), saved: null };
  },
  rmsNormBackward(dy, x, g, saved, m, n, eps, dx, dg) {
    if (!(dy instanceof Float32Array && x instanceof Float32Array && g instanceof Float32Array && f32(dx, dg))) {
      TS_OPS.rmsNormBackward(dy, x, g, saved, m, n, eps, dx, dg);
      return;
    }
    rmsNormBackward(dy, x, g, m, n, eps, dx as Float32Array, dg as Float32Array);
  },
  swiglu(gate, up) {
    if (!(gate instanceof Float32Array && up instanceof Float32Array)) return TS_OPS.swiglu(gate, up);
    return siluMul(gate, up);
  },
  swigluBackward(dOut, gate, up, dGate, dUp) {
    if (!f32(dOut, gate, up, dGate, dUp)) {
      TS_OPS.swigluBackward(dOut, gate, up, dGate, dUp);
      return;
    }
    siluMulBackward(
      dOut as Float32Array,
      gate as Float32Array,
      up as Float32Array,
      dGate as Float32Array,
      dUp as Float32Array,
    );
  },
  rope(x, pos, nHeads, headDim, base, inverse) {
    if (!(x instanceof Float32Array)) return TS_OPS.rope(x, pos, nHeads, headDim, base, inverse);
    const p = inverse ? pos.map((v) => -v) : pos;
    return rope(x, p, pos.length, nHeads, headDim, { freqBase: base });
  },
  attention(q, k, v, s) {
    if (!f32(q, k, v)) return TS_OPS.attention(q, k, v, s);
    const out = new Float32Array(q.length);
    const probs = new Float32Array(s.numSeqs * s.nHead * s.seqLen * s.seqLen);
    attentionTrainForward(q as Float32Array, k as Float32Array, v as Float32Array, s, out, probs);
    return { out, probs };
  },
  attentionBackward(dOut, q, k, v, probs, s, dq, dk, dv) {
    if (!f32(dOut, q, k, v, probs, dq, dk, dv)) {
      TS_OPS.attentionBackward(dOut, q, k, v, probs, s, dq, dk, dv);
      return;
    }
    const [a, b, c, d, e, f, g, h] = [dOut, q, k, v, probs, dq, dk, dv] as Float32Array[];
    attentionTrainBackward(a!, b!, c!, d!, e!, s, f!, g!, h!);
  },
  crossEntropy(logits, targets, v) {
    if (!(logits instanceof Float32Array)) return TS_OPS.crossEntropy(logits, targets, v);
    const dLogits = new Float32Array(logits.length);
    const loss = crossEntropy(logits, targets, targets.length, v, dLogits);
    return { loss, dLogits };
  },
};
