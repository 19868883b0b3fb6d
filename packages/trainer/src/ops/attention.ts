import { type Vec, zerosLike } from './Vec.ts';

/** Shapes of {@link attentionForward}: `numSeqs` sequences of `seqLen` tokens, flattened sequence after sequence. */
export interface AttentionShape {
  numSeqs: number;
  seqLen: number;
  nHead: number;
  nHeadKv: number;
  headDim: number;
}

/**
 * Causal multi-head attention with grouped KV heads: q [T][nHead][hd], k and v [T][nHeadKv][hd]
 * (T = numSeqs·seqLen), head h reads KV head ⌊h·nHeadKv/nHead⌋; token t attends to tokens ≤ t of its
 * own sequence with scores q·k/√hd. Returns out [T][nHead][hd] and the probabilities
 * [numSeqs][nHead][seqLen][seqLen] (saved for the backward).
 */
export function attentionForward(q: Vec, k: Vec, v: Vec, s: AttentionShape): { out: Vec; probs: Float64Array } {
  const { numSeqs, seqLen: L, nHead, nHeadKv, headDim: hd } = s;
  const group = nHead / nHeadKv;
  const scale = 1 / Math.sqrt(hd);
  const out = zerosLike(q, numSeqs * L * nHead * hd);
  const probs = new Float64Array(numSeqs * nHead * L * L);
  for (let b = 0; b < numSeqs; b++) {
    for (let h = 0; h < nHead; h++) {
      const kh = Math.floor(h / group);
      for (let t = 0; t < L; t++) {
        const qo = ((b * L + t) * nHead + h) * hd;
        const po = ((b * nHead + h) * L + t) * L;
        let max = -Infinity;
        for (let u = 0; u <= t; u++) {
          const ko = ((b * L + u) * nHeadKv + kh) * hd;
          let dot = 0;
          for (let d = 0; d < hd; d++) dot += q[qo + d]! * k[ko + d]!;
          probs[po + u] = dot * scale;
          max = Math.max(max, dot * scale);
        }
        let z = 0;
        for (let u = 0; u <= t; u++) {
          const e = Math.exp(probs[po + u]! - max);
          probs[po + u] = e;
          z += e;
        }
        for (let u = 0; u <= t; u++) {
          const p = probs[po + u]! / z;
          probs[po + u] = p;
          const vo = ((b * L + u) * nHeadKv + kh) * hd;
          for (let d = 0; d < hd; d++) out[qo + d]! += p * v[vo + d]!;
        }
      }
    }
  }
  return { out, probs };
}

/** Backward of {@link attentionForward}; accumulates into dq, dk, dv. */
export function attentionBackward(
  dOut: Vec,
  q: Vec,
  k: Vec,
  v: Vec,
  probs: Vec,
  s: AttentionShape,
  dq: Vec,
  dk: Vec,
  dv: Vec,
): void {
  const { numSeqs, seqLen: L, nHead, nHeadKv, headDim: hd } = s;
  const group = nHead / nHeadKv;
  const scale = 1 / Math.sqrt(hd);
  const dp = new Float64Array(L);
  for (let b = 0; b < numSeqs; b++) {
    for (let h = 0; h < nHead; h++) {
      const kh = Math.floor(h / group);
      for (let t = 0; t < L; t++) {
        const qo = ((b * L + t) * nHead + h) * hd;
        const po = ((b * nHead + h) * L + t) * L;
        let sum = 0;
        for (let u = 0; u <= t; u++) {
          const vo = ((b * L + u) * nHeadKv + kh) * hd;
          const p = probs[po + u]!;
          let dot = 0;
          for (let d = 0; d < hd; d++) {
            dot += dOut[qo + d]! * v[vo + d]!;
            dv[vo + d]! += p * dOut[qo + d]!;
          }
          dp[u] = dot;
          sum += p * dot;
        }
        for (let u = 0; u <= t; u++) {
          const ds = probs[po + u]! * (dp[u]! - sum) * scale;
          if (ds === 0) continue;
          const ko = ((b * L + u) * nHeadKv + kh) * hd;
          for (let d = 0; d < hd; d++) {
            dq[qo + d]! += ds * k[ko + d]!;
            dk[ko + d]! += ds * q[qo + d]!;
          }
        }
      }
    }
  }
}
