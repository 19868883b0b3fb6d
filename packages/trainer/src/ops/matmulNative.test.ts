import { Rng } from '@dte/arena';
import { describe, expect, it } from 'vitest';
import { TinyLlama } from '../model/TinyLlama.ts';
import { matmulBackward, matmulForward } from './matmul.ts';
import { matmulBackwardNative, matmulForwardNative, transpose } from './matmulNative.ts';

const rng = new Rng(77);
const randn = (n: number) => Float32Array.from({ length: n }, () => 2 * rng.next() - 1);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
};

describe('matmuls on the native kernel', () => {
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

  it('a model on native matmuls has the same loss and gradients', () => {
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
