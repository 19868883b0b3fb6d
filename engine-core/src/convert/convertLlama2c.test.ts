import { readFileSync } from 'node:fs';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { GGML_TYPE } from '../gguf/GGML_TYPE.ts';
import { readGguf } from '../gguf/readGguf.ts';
import { convertLlama2c } from './convertLlama2c.ts';
import { tinyCheckpoint, tinyTokenizer } from './llama2cFixtures.ts';
import { readLlama2cCheckpoint } from './readLlama2cCheckpoint.ts';
import { readLlama2cTokenizer } from './readLlama2cTokenizer.ts';

describe('convertLlama2c: synthetic checkpoints', () => {
  const tok = tinyTokenizer(['\n<unk>\n', '\n<s>\n', '\n</s>\n', '<0x0A>', ' the']);

  it('maps header, weights and vocab to llama GGUF', () => {
    for (const shared of [true, false]) {
      const ckpt = tinyCheckpoint(shared);
      const file = readGguf(convertLlama2c(ckpt, tok));
      expect(file.metadata.get('llama.context_length')).toBe(4);
      expect(file.metadata.get('llama.attention.head_count_kv')).toBe(1);
      expect(file.metadata.get('llama.rope.dimension_count')).toBe(4);
      expect(file.metadata.get('tokenizer.ggml.tokens')).toEqual(['<unk>', '<s>', '</s>', '<0x0A>', '\u2581the']);
      expect([...(file.metadata.get('tokenizer.ggml.token_type') as Int32Array)]).toEqual([2, 3, 3, 6, 1]);
      expect([...(file.metadata.get('tokenizer.ggml.scores') as Float32Array)]).toEqual([-0, -1, -2, -3, -4]);
      expect(file.tensors.length).toBe(3 + 2 * 9);
      expect(file.tensor('blk.1.attn_k.weight')!.dims).toEqual([8, 4]);
      expect(file.tensor('blk.0.ffn_down.weight')!.dims).toEqual([12, 8]);
      for (const t of file.tensors) expect(t.type).toBe(GGML_TYPE.F32);
      const parsed = readLlama2cCheckpoint(ckpt);
      expect(file.tensor('blk.1.ffn_up.weight')!.data).toEqual(parsed.w3[1]);
      expect(file.tensor('token_embd.weight')!.data).toEqual(parsed.tokenEmbedding);
      expect(file.tensor('output.weight')!.data).toEqual(parsed.wcls);
      expect(Buffer.from(parsed.wcls).equals(parsed.tokenEmbedding)).toBe(shared);
    }
  });

  it('rejects malformed checkpoints and tokenizers with typed errors', () => {
    const ckpt = tinyCheckpoint(true);
    const code = (fn: () => unknown) => {
      try {
        fn();
        return 'ok';
      } catch (err) {
        return (err as { code?: string }).code;
      }
    };
    expect(code(() => convertLlama2c(ckpt.subarray(0, 20), tok))).toBe('DTE_ERR_CONVERT_BAD_CHECKPOINT');
    expect(code(() => convertLlama2c(ckpt.subarray(0, ckpt.length - 4), tok))).toBe('DTE_ERR_CONVERT_BAD_CHECKPOINT');
    const bad = new Uint8Array(ckpt);
    new DataView(bad.buffer).setInt32(12, 3, true); // n_heads 3 does not divide dim 8
    expect(code(() => convertLlama2c(bad, tok))).toBe('DTE_ERR_CONVERT_BAD_CHECKPOINT');
    new DataView(bad.buffer).setInt32(12, 0x7fffffff, true);
    expect(code(() => convertLlama2c(bad, tok))).toBe('DTE_ERR_CONVERT_BAD_CHECKPOINT');
    expect(code(() => convertLlama2c(ckpt, tok.subarray(0, tok.length - 1)))).toBe('DTE_ERR_CONVERT_BAD_TOKENIZER');
    expect(code(() => readLlama2cTokenizer(tok, 6))).toBe('DTE_ERR_CONVERT_BAD_TOKENIZER');
    expect(code(() => readLlama2cTokenizer(tok, 4))).toBe('DTE_ERR_CONVERT_BAD_TOKENIZER'); // trailing bytes
    const huge = new Uint8Array(tok);
    new DataView(huge.buffer).setInt32(8, 0x7fffffff, true);
    expect(code(() => readLlama2cTokenizer(huge, 5))).toBe('DTE_ERR_CONVERT_BAD_TOKENIZER');
    expect(code(() => readLlama2cTokenizer(tok, 1e9))).toBe('DTE_ERR_CONVERT_BAD_TOKENIZER');
  });
});

describe.skipIf(!hasSharedModel() || !hasSharedModel('stories260K.bin') || !hasSharedModel('tok512.bin'))(
  'convertLlama2c: stories260K.bin + tok512.bin vs the shipped stories260K.gguf',
  () => {
    // Read in beforeAll, not while collecting: a skipped suite's body still runs at collection.
    let shipped: Uint8Array;
    let bin: Buffer;
    let tok: Buffer;
    beforeAll(() => {
      shipped = new Uint8Array(readFileSync(sharedModel('stories260K.gguf')));
      bin = readFileSync(sharedModel('stories260K.bin'));
      tok = readFileSync(sharedModel('tok512.bin'));
    });

    it('every tensor is bit-identical, in the same order, with the same names, types and shapes', () => {
      const ours = readGguf(convertLlama2c(bin, tok));
      const theirs = readGguf(shipped);
      expect(ours.tensors.map((t) => [t.name, t.type, t.dims])).toEqual(
        theirs.tensors.map((t) => [t.name, t.type, t.dims]),
      );
      for (const t of theirs.tensors) {
        expect(Buffer.from(ours.tensor(t.name)!.data).equals(t.data), t.name).toBe(true);
      }
    });

    it('vocabulary (tokens, scores, types) and every metadata key and type are equal', () => {
      const ours = readGguf(convertLlama2c(bin, tok));
      const theirs = readGguf(shipped);
      expect([...ours.metadataTypes]).toEqual([...theirs.metadataTypes]);
      for (const key of ['tokenizer.ggml.tokens', 'tokenizer.ggml.scores', 'tokenizer.ggml.token_type']) {
        expect(ours.metadata.get(key), key).toEqual(theirs.metadata.get(key));
      }
      for (const [key, value] of theirs.metadata) {
        if (key !== 'llama.context_length') expect(ours.metadata.get(key), key).toEqual(value);
      }
      expect(ours.metadata.get('llama.context_length')).toBe(512); // the checkpoint's seq_len
    });

    it('with contextLength 2048 the whole file is byte-identical to the shipped GGUF', () => {
      const ours = convertLlama2c(bin, tok, { contextLength: 2048 });
      expect(Buffer.from(ours).equals(shipped)).toBe(true);
    });
  },
);
