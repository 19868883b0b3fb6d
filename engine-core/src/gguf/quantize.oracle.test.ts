// llama.cpp (node-llama-cpp) runs a random-weight llama whose matrices we quantized to Q4_K / Q6_K:
// its logits must track the same model in F32. A wrong block layout would give unrelated logits.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { LlamaCppOracle } from '../../test/support/llamaCppOracle.ts';
import { GGML_TYPE } from './GGML_TYPE.ts';
import { GGUF_TYPE } from './GGUF_TYPE.ts';
import { quantize } from './quantize.ts';
import { readGguf } from './readGguf.ts';
import { type GgufTensorSpec, writeGguf } from './writeGguf.ts';

/** mulberry32 */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function correlation(a: Float32Array, b: Float32Array): number {
  const mean = (x: Float32Array) => x.reduce((s, v) => s + v, 0) / x.length;
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** A 1-layer llama (dim 256, ffn 512, 4 heads) with stories260K's vocabulary; matrices as `type`. */
function randomLlama(type: number, outputType = type): Uint8Array {
  const vocab = readGguf(sharedModel('stories260K.gguf'));
  const [dim, ff, nVocab] = [256, 512, 512];
  const r = rng(42);
  const matrix = (name: string, k: number, n: number, t = type, scale = 1 / Math.sqrt(k)): GgufTensorSpec => {
    const v = new Float32Array(k * n).map(() => (r() * 2 - 1) * scale);
    return { name, type: t, dims: [k, n], data: quantize(t, v) };
  };
  const norm = (name: string): GgufTensorSpec => ({
    name,
    type: GGML_TYPE.F32,
    dims: [dim],
    data: quantize(
      GGML_TYPE.F32,
      new Float32Array(dim).map(() => 0.8 + 0.4 * r()),
    ),
  });
  const u32 = (key: string, value: number) => ({ key, type: GGUF_TYPE.UINT32, value }) as const;
  const copy = (key: string) => ({ key, type: vocab.metadataTypes.get(key)!, value: vocab.metadata.get(key)! });
  return writeGguf({
    metadata: [
      { key: 'general.architecture', type: GGUF_TYPE.STRING, value: 'llama' },
      u32('llama.context_length', 128),
      u32('llama.embedding_length', dim),
      u32('llama.feed_forward_length', ff),
      u32('llama.attention.head_count', 4),
      u32('llama.attention.head_count_kv', 4),
      u32('llama.block_count', 1),
      u32('llama.rope.dimension_count', 64),
      { key: 'llama.attention.layer_norm_rms_epsilon', type: GGUF_TYPE.FLOAT32, value: 1e-5 },
      ...['tokenizer.ggml.model', 'tokenizer.ggml.tokens', 'tokenizer.ggml.scores', 'tokenizer.ggml.token_type'].map(
        copy,
      ),
      ...['tokenizer.ggml.bos_token_id', 'tokenizer.ggml.eos_token_id', 'tokenizer.ggml.unknown_token_id'].map(copy),
    ],
    tensors: [
      matrix('token_embd.weight', dim, nVocab, type, 1),
      norm('output_norm.weight'),
      matrix('output.weight', dim, nVocab, outputType),
      matrix('blk.0.attn_q.weight', dim, dim),
      matrix('blk.0.attn_k.weight', dim, dim),
      matrix('blk.0.attn_v.weight', dim, dim),
      matrix('blk.0.attn_output.weight', dim, dim),
      norm('blk.0.attn_norm.weight'),
      matrix('blk.0.ffn_gate.weight', dim, ff),
      matrix('blk.0.ffn_down.weight', ff, dim),
      matrix('blk.0.ffn_up.weight', dim, ff),
      norm('blk.0.ffn_norm.weight'),
    ],
  });
}

const PROMPT = [1, 34, 290, 77, 411, 260, 19, 500, 301, 9, 120, 44];

describe.skipIf(!hasSharedModel())('quantize Q4_K / Q6_K: llama.cpp computes with our blocks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dte-quant-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function logits(name: string, bytes: Uint8Array): Promise<Float32Array> {
    const path = join(dir, `${name}.gguf`);
    writeFileSync(path, bytes);
    const oracle = await LlamaCppOracle.load(path, { contextSize: 64 });
    try {
      return await oracle.lastLogits(PROMPT);
    } finally {
      await oracle.dispose();
    }
  }

  it('Q6_K, Q4_K and Q4_K with a Q6_K output track the F32 model', async () => {
    // The same random draw for every variant: each call reseeds the PRNG.
    const f32 = await logits('f32', randomLlama(GGML_TYPE.F32));
    const cases: Array<[string, Uint8Array, number]> = [
      ['q6_k', randomLlama(GGML_TYPE.Q6_K), 0.999],
      ['q4_k', randomLlama(GGML_TYPE.Q4_K), 0.99],
      ['q4_k_q6_k_out', randomLlama(GGML_TYPE.Q4_K, GGML_TYPE.Q6_K), 0.99],
    ];
    for (const [name, bytes, min] of cases) {
      const r = correlation(f32, await logits(name, bytes));
      console.log(`[llama.cpp ${name}] correlation with F32 logits: ${r.toFixed(6)}`);
      expect(r, name).toBeGreaterThan(min);
    }
  });
});
