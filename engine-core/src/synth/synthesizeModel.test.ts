import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { describe, expect, it } from 'vitest';
import {
  detectScheme,
  expectNoWorseThan,
  llamaCppPanel,
  PANEL,
  panelBatch,
  sequencePanel,
} from '../../test/support/accuracyContract.ts';
import { LlamaCppOracle, llamaCppVariant, PARITY_TYPES } from '../../test/support/llamaCppOracle.ts';
import { GGML_TYPE } from '../gguf/GGML_TYPE.ts';
import { readGguf } from '../gguf/readGguf.ts';
import { mapLlamaWeights } from '../model/mapLlamaWeights.ts';
import { ReferenceModel } from '../model/ReferenceModel.ts';
import { readLlamaConfig } from '../model/readLlamaConfig.ts';
import type { ActivationScheme } from '../model/roundActivations.ts';
import { singleSequenceBatch } from '../model/singleSequenceBatch.ts';
import { llama3RopeFreqs, synthesizeModel } from './synthesizeModel.ts';

const dir = mkdtempSync(join(tmpdir(), 'dte-synth-'));
const TYPES = PARITY_TYPES;

function reference(path: string, activationScheme?: Record<number, ActivationScheme>): ReferenceModel {
  const file = readGguf(path);
  const config = readLlamaConfig(file, { blockSize: 16, numBlocks: PANEL.sequences });
  return new ReferenceModel(config, mapLlamaWeights(file, config), activationScheme ? { activationScheme } : {});
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
  describe(`synthetic ${arch}: llama.cpp loads it, and the reference explains its logits`, () => {
    for (const type of TYPES) {
      it(`${type}: llama.cpp's rounding is identified (same rounding), and its error is that rounding's (no worse than)`, async () => {
        const id: number = GGML_TYPE[type];
        const path = join(dir, `${arch}-${type}.gguf`);
        writeFileSync(path, synthesizeModel({ arch, params: 'tiny', type, seed: 11 }));
        const oracle = await LlamaCppOracle.load(path, { contextSize: 64 });
        const prompt = [1, ...oracle.tokenize('Hello world, this is a test of a synthetic model.')];
        expect(prompt.length).toBeGreaterThan(30);
        const seqs = sequencePanel(PANEL.sequences, PANEL.length, oracle.nVocab, 7);
        let theirsPanel: Float32Array;
        let theirsLong: Float32Array;
        try {
          theirsPanel = await llamaCppPanel(oracle, seqs);
          theirsLong = await oracle.allLogits(prompt);
        } finally {
          await oracle.dispose();
        }
        // Panel: the reference, rounding activations as llama.cpp does on this machine, reproduces it
        // (this is what checks our dequantizers and forward against llama.cpp's).
        const ref = (scheme?: ActivationScheme) => reference(path, scheme && { [id]: scheme });
        const panel = panelBatch(seqs, 16);
        const { scheme, medians } = detectScheme(id, theirsPanel, (s) => ref(s).forwardSync(panel), oracle.nVocab);
        expect(
          scheme,
          `llama.cpp (${await llamaCppVariant()}): median distance by scheme ${JSON.stringify(medians)}`,
        ).toBeDefined();
        // Long prompt: llama.cpp's distance from the f32 reference is what its rounding alone produces.
        const all = singleSequenceBatch(prompt, 0, 8, true);
        const exact = ref().forwardSync(all);
        const emulated = ref(scheme).forwardSync(all);
        expectNoWorseThan(theirsLong, emulated, exact, `llama.cpp vs its rounding (${scheme})`);
      });
    }
  });
}
