import { describe, expect, it } from 'vitest';
import { TinyLlama } from './TinyLlama.ts';

describe('TinyLlama', () => {
  it('whole-model gradients match finite differences (float64, 2 layers, GQA)', () => {
    const config = {
      nVocab: 11,
      nEmbd: 8,
      nLayer: 2,
      nHead: 2,
      nHeadKv: 1,
      nFf: 12,
      normEps: 1e-5,
      ropeFreqBase: 10000,
      contextLength: 16,
    };
    const model = TinyLlama.init(config, 5, 'f64');
    // Larger weights than the init so every path carries signal.
    for (const [name, p] of model.params)
      if (!name.endsWith('norm.weight')) for (let i = 0; i < p.length; i++) p[i] = p[i]! * 20;
    for (const [name, p] of model.params)
      if (name.endsWith('norm.weight')) for (let i = 0; i < p.length; i++) p[i] = 1 + 0.1 * Math.sin(i + 1);
    const tokens = Int32Array.from([1, 4, 7, 2, 9, 3, 3, 0]);
    const targets = Int32Array.from([4, 7, 2, -1, 3, 3, 0, 10]);
    model.lossAndGrad(tokens, targets, 2);
    const h = 1e-6;
    let worst = 0;
    let checked = 0;
    for (const [name, p] of model.params) {
      const g = Float64Array.from(model.grads.get(name)!);
      for (let i = 0; i < p.length; i++) {
        const x0 = p[i]!;
        p[i] = x0 + h;
        const up = model.lossAndGrad(tokens, targets, 2, false);
        p[i] = x0 - h;
        const down = model.lossAndGrad(tokens, targets, 2, false);
        p[i] = x0;
        const numeric = (up - down) / (2 * h);
        worst = Math.max(worst, Math.abs(g[i]! - numeric) / Math.max(1e-3, Math.abs(numeric) + Math.abs(g[i]!)));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(900);
    expect(worst).toBeLessThan(1e-5);
  });

  it('rejects shapes that do not split into heads', () => {
    const bad = {
      nVocab: 5,
      nEmbd: 6,
      nLayer: 1,
      nHead: 4,
      nHeadKv: 1,
      nFf: 4,
      normEps: 1e-5,
      ropeFreqBase: 1e4,
      contextLength: 8,
    };
    expect(() => TinyLlama.init(bad, 1)).toThrow(expect.objectContaining({ code: 'DTE_ERR_TRAINER_BAD_OPTIONS' }));
  });

  it('scores nothing when every target is masked: loss 0, zero gradients; targets must match the tokens', () => {
    const config = {
      nVocab: 11,
      nEmbd: 8,
      nLayer: 1,
      nHead: 2,
      nHeadKv: 1,
      nFf: 12,
      normEps: 1e-5,
      ropeFreqBase: 10000,
      contextLength: 16,
    };
    for (const kernels of ['ts', 'native'] as const) {
      const model = TinyLlama.init(config, 3, 'f32', kernels);
      const tokens = Int32Array.from([1, 4, 7, 2]);
      expect(model.lossAndGrad(tokens, Int32Array.from([4, 7, 2, 3]), 1)).toBeGreaterThan(0);
      expect(model.lossAndGrad(tokens, new Int32Array(4).fill(-1), 1)).toBe(0);
      for (const g of model.grads.values()) expect(g.every((v) => v === 0)).toBe(true);
      expect(() => model.lossAndGrad(tokens, Int32Array.from([1, 2]), 1)).toThrow(
        expect.objectContaining({ code: 'DTE_ERR_TRAINER_BAD_OPTIONS' }),
      );
    }
  });
});
