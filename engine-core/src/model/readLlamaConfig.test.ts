import { describe, expect, it } from 'vitest';
import { GgufFile, type GgufTensor, type GgufValue } from '../gguf/GgufFile.ts';
import { mapLlamaWeights } from './mapLlamaWeights.ts';
import { readLlamaConfig } from './readLlamaConfig.ts';

const KV = { blockSize: 16, numBlocks: 4 };

function fakeFile(meta: Record<string, GgufValue>, tensors: Array<[string, number[], number?]> = []): GgufFile {
  const ts: GgufTensor[] = tensors.map(([name, dims, type = 0]) => {
    const n = dims.reduce((a, b) => a * b, 1);
    return { name, type, dims, nElements: n, nBytes: n * 4, offset: 0, data: new Uint8Array(n * 4) };
  });
  return new GgufFile(3, 32, 0, new Uint8Array(0), new Map(Object.entries(meta)), new Map(), ts);
}

function baseMeta(arch: string): Record<string, GgufValue> {
  return {
    'general.architecture': arch,
    [`${arch}.embedding_length`]: 16,
    [`${arch}.block_count`]: 1,
    [`${arch}.attention.head_count`]: 4,
    [`${arch}.attention.head_count_kv`]: 2,
    [`${arch}.feed_forward_length`]: 24,
    [`${arch}.attention.layer_norm_rms_epsilon`]: 1e-6,
    [`${arch}.context_length`]: 128,
  };
}

function tensorsFor(arch: string, opts: { tied?: boolean; dropQNorm?: boolean } = {}): Array<[string, number[]]> {
  const t: Array<[string, number[]]> = [
    ['token_embd.weight', [16, 32]],
    ['output_norm.weight', [16]],
    ['blk.0.attn_norm.weight', [16]],
    ['blk.0.attn_q.weight', [16, 16]],
    ['blk.0.attn_k.weight', [16, 8]],
    ['blk.0.attn_v.weight', [16, 8]],
    ['blk.0.attn_output.weight', [16, 16]],
    ['blk.0.ffn_norm.weight', [16]],
    ['blk.0.ffn_gate.weight', [16, 24]],
    ['blk.0.ffn_up.weight', [16, 24]],
    ['blk.0.ffn_down.weight', [24, 16]],
  ];
  if (!opts.tied) t.push(['output.weight', [16, 32]]);
  if (arch === 'qwen2') t.push(['blk.0.attn_q.bias', [16]], ['blk.0.attn_k.bias', [8]], ['blk.0.attn_v.bias', [8]]);
  if (arch === 'qwen3') {
    if (!opts.dropQNorm) t.push(['blk.0.attn_q_norm.weight', [4]]);
    t.push(['blk.0.attn_k_norm.weight', [4]]);
  }
  return t;
}

describe('readLlamaConfig', () => {
  it('reads llama hyper-parameters with llama.cpp defaults', () => {
    const c = readLlamaConfig(fakeFile(baseMeta('llama'), tensorsFor('llama')), KV);
    expect(c).toMatchObject({ arch: 'llama', nEmbd: 16, nLayer: 1, nHead: 4, nHeadKv: 2, headDim: 4, nFf: 24 });
    expect(c).toMatchObject({ nVocab: 32, ropeFreqBase: 10000, ropeNeox: false, blockSize: 16, numBlocks: 4 });
    expect(c.ropeScaling).toEqual({ type: 'none', factor: 1, origCtx: 128 });
  });

  it('uses neox rope for qwen2/qwen3 and reads rope scaling', () => {
    const meta = { ...baseMeta('qwen2'), 'qwen2.rope.scaling.type': 'linear', 'qwen2.rope.scaling.factor': 4 };
    const c = readLlamaConfig(fakeFile(meta, tensorsFor('qwen2')), KV);
    expect(c.ropeNeox).toBe(true);
    expect(c.ropeScaling).toMatchObject({ type: 'linear', factor: 4 });
    const y = { ...baseMeta('qwen3'), 'qwen3.rope.scaling.type': 'yarn', 'qwen3.rope.scaling.factor': 2 };
    expect(readLlamaConfig(fakeFile(y, tensorsFor('qwen3')), KV).ropeScaling).toMatchObject({
      type: 'yarn',
      betaFast: 32,
    });
  });

  it('rejects unsupported architectures and bad hyper-parameters with typed codes', () => {
    expect(() => readLlamaConfig(fakeFile({ ...baseMeta('llama'), 'general.architecture': 'gpt2' }), KV)).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_MODEL_UNSUPPORTED_ARCH' }),
    );
    const noLayers = baseMeta('llama');
    delete noLayers['llama.block_count'];
    expect(() => readLlamaConfig(fakeFile(noLayers, tensorsFor('llama')), KV)).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_MODEL_BAD_HPARAMS' }),
    );
    const badHeads = { ...baseMeta('llama'), 'llama.attention.head_count_kv': 3 };
    expect(() => readLlamaConfig(fakeFile(badHeads, tensorsFor('llama')), KV)).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_MODEL_BAD_HPARAMS' }),
    );
    expect(() =>
      readLlamaConfig(fakeFile(baseMeta('llama'), tensorsFor('llama')), { blockSize: 0, numBlocks: 1 }),
    ).toThrow(expect.objectContaining({ code: 'DTE_ERR_MODEL_BAD_HPARAMS' }));
  });
});

describe('mapLlamaWeights', () => {
  it('maps every tensor, ties the output when output.weight is absent', () => {
    const f = fakeFile(baseMeta('llama'), tensorsFor('llama', { tied: true }));
    const w = mapLlamaWeights(f, readLlamaConfig(f, KV));
    expect(w.layers).toHaveLength(1);
    expect(w.output).toBeUndefined();
    expect(w.layers[0]!.wk.dims).toEqual([16, 8]);
    expect(w.layers[0]!.bq).toBeUndefined();
  });

  it('takes qwen2 biases and qwen3 q/k norms', () => {
    const f2 = fakeFile(baseMeta('qwen2'), tensorsFor('qwen2'));
    expect(mapLlamaWeights(f2, readLlamaConfig(f2, KV)).layers[0]!.bv?.dims).toEqual([8]);
    const f3 = fakeFile(baseMeta('qwen3'), tensorsFor('qwen3'));
    expect(mapLlamaWeights(f3, readLlamaConfig(f3, KV)).layers[0]!.kNorm?.dims).toEqual([4]);
  });

  it('rejects missing tensors, bad shapes and unsupported types', () => {
    const f3 = fakeFile(baseMeta('qwen3'), tensorsFor('qwen3', { dropQNorm: true }));
    expect(() => mapLlamaWeights(f3, readLlamaConfig(f3, KV))).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_MODEL_MISSING_TENSOR' }),
    );
    const shapes = tensorsFor('llama').map(([n, d]): [string, number[]] => [
      n,
      n === 'blk.0.attn_k.weight' ? [16, 16] : d,
    ]);
    const fs = fakeFile(baseMeta('llama'), shapes);
    expect(() => mapLlamaWeights(fs, readLlamaConfig(fs, KV))).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_MODEL_BAD_SHAPE' }),
    );
    const types = tensorsFor('llama').map(([n, d]): [string, number[], number] => [
      n,
      d,
      n.includes('ffn_up') ? 10 : 0,
    ]);
    const ft = fakeFile(baseMeta('llama'), types);
    expect(() => mapLlamaWeights(ft, readLlamaConfig(ft, KV))).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_MODEL_UNSUPPORTED_TYPE' }),
    );
  });
});
