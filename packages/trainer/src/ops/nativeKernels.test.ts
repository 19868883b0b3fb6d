import { Rng } from '@dte/arena';
import { describe, expect, it } from 'vitest';
import { TinyLlama } from '../model/TinyLlama.ts';
import { attentionBackward, attentionForward } from './attention.ts';
import { attentionBackwardNative, attentionForwardNative } from './attentionNative.ts';
import { matmulBackward, matmulForward } from './matmul.ts';
import { matmulBackwardNative, matmulForwardNative, transpose } from './matmulNative.ts';

const rng = new Rng(77);
const randn = (n: number) => Float32Array.from({ length: n }, () => 2 * rng.next() - 1);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
};

describe('native training kernels', () => {
  it('causal GQA attention forward and backward equal the TypeScript reference', () => {
    const s = { numSeqs: 3, seqLen: 17, nHead: 6, nHeadKv: 2, headDim: 8 };
    const t = s.numSeqs * s.seqLen;
    const [q, k, v, dOut] = [randn(t * 48), randn(t * 16), randn(t * 16), randn(t * 48)];
    const ref = attentionForward(q, k, v, s);
    const nat = attentionForwardNative(q, k, v, s);
    expect(maxDiff(nat.out, ref.out)).toBeLessThan(1e-5);
    expect(maxDiff(nat.probs, ref.probs)).toBeLessThan(1e-6);
    const g1 = [new Float32Array(q.length), new Float32Array(k.length), new Float32Array(v.length)] as const;
    const g2 = [randn(q.length), randn(k.length), randn(v.length)] as const;
    // Both accumulate: start the reference from the same non-zero values.
    for (let i = 0; i < 3; i++) g1[i]!.set(g2[i]!);
    attentionBackward(dOut, q, k, v, ref.probs, s, g1[0], g1[1], g1[2]);
    attentionBackwardNative(dOut, q, k, v, nat.probs, s, g2[0], g2[1], g2[2]);
    for (let i = 0; i < 3; i++) expect(maxDiff(g1[i]!, g2[i]!)).toBeLessThan(1e-4);
  });

  it('forward and backward equal the TypeScript reference', () => {
    const [m, k, n] = [37, 64, 45];
    const x = randn(m * k);
    const w = randn(n * k);
    const dy = randn(m * n);
    expect(transpose(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3)).toEqual(Float32Array.from([1, 4, 2, 5, 3, 6]));
    expect(maxDiff(matmulForwardNative(x, w, m, k, n), matmulForward(x, w, m, k, n))).toBeLessThan(1e-4);
    const [dx1, dw1, dx2, dw2] = [randn(m * k), randn(n * k), new Float32Array(m * k), new Float32Array(n * k)];
    dx2.set(dx1);
    dw2.set(dw1);
    matmulBackward(dy, x, w, m, k, n, dx1, dw1);
    matmulBackwardNative(dy, x, w, m, k, n, dx2, dw2);
    expect(maxDiff(dx1, dx2)).toBeLessThan(1e-4);
    expect(maxDiff(dw1, dw2)).toBeLessThan(1e-4);
  });

  it('a model on native kernels has the same loss and gradients', () => {
    const config = {
      nVocab: 50,
      nEmbd: 32,
      nLayer: 2,
      nHead: 4,
      nHeadKv: 2,
      nFf: 48,
      normEps: 1e-5,
      ropeFreqBase: 10000,
      contextLength: 32,
    };
    const a = TinyLlama.init(config, 8, 'f32', 'ts');
    const b = TinyLlama.init(config, 8, 'f32', 'native');
    const tokens = Int32Array.from({ length: 32 }, (_, i) => (i * 7) % 50);
    const targets = Int32Array.from({ length: 32 }, (_, i) => (i * 7 + 3) % 50);
    expect(b.lossAndGrad(tokens, targets, 2)).toBeCloseTo(a.lossAndGrad(tokens, targets, 2), 5);
    for (const [name, g] of a.grads) expect(maxDiff(g, b.grads.get(name)!)).toBeLessThan(1e-5);
  });
});
