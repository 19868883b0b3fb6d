import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { LlamaCppOracle, PARITY_TOLERANCE, PARITY_TYPES } from '../../test/support/llamaCppOracle.ts';
import { readGguf } from '../gguf/readGguf.ts';
import { mapLlamaWeights } from '../model/mapLlamaWeights.ts';
import { maxAbsDiff } from '../model/maxAbsDiff.ts';
import { ReferenceModel } from '../model/ReferenceModel.ts';
import { readLlamaConfig } from '../model/readLlamaConfig.ts';
import { singleSequenceBatch } from '../model/singleSequenceBatch.ts';
import { llama3RopeFreqs, synthesizeModel } from './synthesizeModel.ts';

const dir = mkdtempSync(join(tmpdir(), 'dte-synth-'));
const TYPES = PARITY_TYPES;
const TOLERANCE = PARITY_TOLERANCE;

function reference(path: string, llamaCppRounding: boolean): ReferenceModel {
  const file = readGguf(path);
  const config = readLlamaConfig(file, { blockSize: 16, numBlocks: 8 });
  return new ReferenceModel(config, mapLlamaWeights(file, config), { llamaCppRounding });
}

describe('synthesizeModel', () => {
  it('is deterministic in its seed', () => {
    const a = synthesizeModel({ arch: 'llama', params: 'tiny', dims: { nLayer: 1 }, type: 'Q8_0', seed: 3 });
    const b = synthesizeModel({ arch: 'llama', params: 'tiny', dims: { nLayer: 1 }, type: 'Q8_0', seed: 3 });
    const c = synthesizeModel({ arch: 'llama', params: 'tiny', dims: { nLayer: 1 }, type: 'Q8_0', seed: 4 });
    expect(Buffer.compare(a, b)).toBe(0);
    expect(Buffer.compare(a, c)).not.toBe(0);
    const file = readGguf(a);
    expect(file.metadata.get('general.architecture')).toBe('llama');
    expect(file.tensor('blk.0.attn_q.weight')?.type).toBe(8);
    expect(file.tensor('blk.0.attn_norm.weight')?.type).toBe(0);
    expect((file.metadata.get('tokenizer.ggml.tokens') as string[]).length).toBe(512);
  });

  it('rejects bad specs with DTE_ERR_SYNTH_BAD_SPEC', () => {
    const code = expect.objectContaining({ code: 'DTE_ERR_SYNTH_BAD_SPEC' });
    expect(() => synthesizeModel({ arch: 'gpt2' as never, type: 'F32' })).toThrow(code);
    expect(() => synthesizeModel({ arch: 'llama', type: 'Q5_K' })).toThrow(code);
    expect(() => synthesizeModel({ arch: 'llama', params: '7B', type: 'F32' })).toThrow(code);
    expect(() => synthesizeModel({ arch: 'llama', params: '15M', type: 'Q4_K' })).toThrow(code);
    expect(() => synthesizeModel({ arch: 'llama', dims: { nHead: 3 }, type: 'F32' })).toThrow(code);
    // rope_freqs: llama only, headDim / 2 positive values (tiny: headDim 64).
    const ok = new Float32Array(32).fill(2);
    expect(() => synthesizeModel({ arch: 'qwen2', type: 'F32', ropeFreqs: ok })).toThrow(code);
    expect(() => synthesizeModel({ arch: 'llama', type: 'F32', ropeFreqs: ok.subarray(1) })).toThrow(code);
    expect(() => synthesizeModel({ arch: 'llama', type: 'F32', ropeFreqs: [...ok.subarray(1), 0] })).toThrow(code);
    const file = readGguf(synthesizeModel({ arch: 'llama', type: 'F32', ropeFreqs: ok }));
    expect(file.tensor('rope_freqs.weight')?.dims).toEqual([32]);
  });

  it('llama3RopeFreqs: Llama 3.1 8B factors (head 128, base 500000): 1 at high, 8 at low frequencies', () => {
    const f = llama3RopeFreqs(128, 500000);
    expect(f).toHaveLength(64);
    expect(f[0]).toBe(1);
    expect(f[63]).toBe(8);
    for (let i = 1; i < 64; i++) expect(f[i]!).toBeGreaterThanOrEqual(f[i - 1]!);
    // A smooth blend between the two wavelength bands (2048 and 8192 positions).
    const blended = [...f].filter((v) => v > 1 && v < 8);
    expect(blended.length).toBeGreaterThan(0);
    for (const [i, v] of f.entries()) {
      const wavelen = 2 * Math.PI * 500000 ** ((2 * i) / 128);
      if (wavelen < 2048) expect(v).toBe(1);
      if (wavelen > 8192) expect(v).toBe(8);
    }
  });

  it.skipIf(!hasSharedModel())('copies a real tokenizer from a vocab GGUF', async () => {
    const vocab = readGguf(sharedModel('stories260K.gguf'));
    const path = join(dir, 'vocab-copy.gguf');
    writeFileSync(path, synthesizeModel({ arch: 'qwen3', params: 'tiny', type: 'F16', vocab, seed: 1 }));
    const file = readGguf(path);
    expect(file.tensor('token_embd.weight')?.dims).toEqual([256, 512]);
    const synth = await LlamaCppOracle.load(path, { contextSize: 64 });
    const real = await LlamaCppOracle.load(sharedModel('stories260K.gguf'), { contextSize: 64 });
    try {
      expect(synth.tokenize('Once upon a time')).toEqual(real.tokenize('Once upon a time'));
    } finally {
      await synth.dispose();
      await real.dispose();
    }
  });
});

for (const arch of ['llama', 'qwen2', 'qwen3'] as const) {
  describe(`synthetic ${arch}: llama.cpp loads it, reference logits match`, () => {
    const oracles: LlamaCppOracle[] = [];
    afterAll(async () => {
      for (const o of oracles) await o.dispose();
    });
    for (const type of TYPES) {
      it(`${type}`, async () => {
        const path = join(dir, `${arch}-${type}.gguf`);
        writeFileSync(path, synthesizeModel({ arch, params: 'tiny', type, seed: 11 }));
        const oracle = await LlamaCppOracle.load(path, { contextSize: 64 });
        oracles.push(oracle);
        const prompt = [1, ...oracle.tokenize('Hello world, this is a test of a synthetic model.')];
        expect(prompt.length).toBeGreaterThan(30);
        // Short prompt, llama.cpp's activation rounding emulated: dequantisation and the whole
        // forward agree to float noise (1e-3); for BF16 and Q6_K llama.cpp's SIMD kernels round
        // a little differently from the emulation (measured up to 0.04), so those get 0.08.
        const short = prompt.slice(0, 5);
        const exact = reference(path, true).forwardSync(singleSequenceBatch(short, 0, 8));
        expect(maxAbsDiff(exact, await oracle.lastLogits(short))).toBeLessThan(
          type === 'BF16' || type === 'Q6_K' ? 0.08 : 1e-3,
        );
        // Long prompt, plain f32 reference: within the type's tolerance.
        const ours = reference(path, false).forwardSync(singleSequenceBatch(prompt, 0, 8));
        expect(maxAbsDiff(ours, await oracle.lastLogits(prompt))).toBeLessThan(TOLERANCE[type]);
      });
    }
  });
}
