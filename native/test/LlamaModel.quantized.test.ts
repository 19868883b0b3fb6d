import { describe, expect, it } from 'vitest';
import { GGML_TYPE } from '../src/ggmlType.ts';
import { dequantize, quantizeRow } from '../src/kernels.ts';
import type { NativeWeight } from '../src/LlamaModel.ts';
import { LlamaModel } from '../src/LlamaModel.ts';
import { maxAbsDiff, randomLlama, referenceForward } from './support/referenceLlama.ts';
import { TestKvBook } from './support/testKvBook.ts';
import { TestRng } from './support/testRng.ts';
import { tinyConfig } from './support/tinyConfig.ts';

/** Re-encodes a weight as `type` and returns it with its dequantised values (what the reference must use). */
function requant(w: NativeWeight, type: number): { weight: NativeWeight; values: Float32Array } {
  const f = new Float32Array(w.data.buffer, w.data.byteOffset, w.data.byteLength / 4);
  const data = quantizeRow(type, f);
  return { weight: { type, dims: w.dims, data }, values: dequantize(type, data, f.length) };
}

describe('LlamaModel with quantised weights', () => {
  it('runs Q8_0 matrices and F16 norms, matching the reference on the dequantised weights', () => {
    const rng = new TestRng(21);
    const m = randomLlama(tinyConfig({ nFf: 128, arch: 'qwen2', ropeNeox: true }), rng, { bias: true });
    const mats = ['wq', 'wk', 'wv', 'wo', 'ffnGate', 'ffnUp', 'ffnDown'] as const;
    const refMats = ['wq', 'wk', 'wv', 'wo', 'gate', 'up', 'down'] as const;
    m.weights.layers.forEach((lw, i) => {
      const ref = m.layers[i]!;
      mats.forEach((name, j) => {
        const q = requant(lw[name], GGML_TYPE.Q8_0);
        lw[name] = q.weight;
        ref[refMats[j]!].w = q.values;
      });
      const an = requant(lw.attnNorm, GGML_TYPE.F16);
      lw.attnNorm = an.weight;
      ref.attnNorm = an.values;
      const bq = requant(lw.bq!, GGML_TYPE.F16);
      lw.bq = bq.weight;
      ref.bq = bq.values;
    });
    const out = requant(m.weights.output!, GGML_TYPE.Q8_0);
    m.weights.output = out.weight;
    m.output.w = out.values;

    const model = new LlamaModel(m.config, m.weights);
    const tokens = Array.from({ length: 9 }, () => rng.int(m.config.nVocab));
    const want = referenceForward(m, tokens);
    const got = model.forwardSync(new TestKvBook(64, 4, rng).build([{ seq: 0, tokens, logits: 'all' }]).batch);
    const V = m.config.nVocab;
    let worst = 0;
    let spread = 0;
    for (let p = 0; p < tokens.length; p++) {
      worst = Math.max(worst, maxAbsDiff(got.subarray(p * V, (p + 1) * V), want.logits[p]!));
      spread = Math.max(spread, ...want.logits[p]!.map(Math.abs));
    }
    // Q8_0 matmuls quantise activations to 8 bits too (as ggml does): agreement to ~1% of the logit range.
    expect(worst).toBeLessThan(0.02 * spread);
    expect(worst).toBeGreaterThan(0);
  });
});
