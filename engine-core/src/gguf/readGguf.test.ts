import { describe, expect, it } from 'vitest';
import { GGML_TYPE } from './GGML_TYPE.ts';
import { GGUF_TYPE } from './GGUF_TYPE.ts';
import { GgufError } from './GgufError.ts';
import { readGguf } from './readGguf.ts';
import { hasSharedModel, sharedModel } from './sharedModels.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GgufError);
    return (err as GgufError).code;
  }
  return undefined;
}

describe('readGguf: header checks', () => {
  it('rejects a bad magic, a bad version and a short file', () => {
    expect(codeOf(() => readGguf(new TextEncoder().encode('GGML\x03\x00\x00\x00')))).toBe('DTE_ERR_GGUF_BAD_MAGIC');
    expect(codeOf(() => readGguf(new Uint8Array([0x47, 0x47])))).toBe('DTE_ERR_GGUF_TRUNCATED');
    const v1 = new Uint8Array([0x47, 0x47, 0x55, 0x46, 1, 0, 0, 0, ...new Array(16).fill(0)]);
    expect(codeOf(() => readGguf(v1))).toBe('DTE_ERR_GGUF_BAD_VERSION');
  });

  it('rejects a huge tensor count before allocating', () => {
    const b = new Uint8Array(24);
    b.set([0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0]);
    new DataView(b.buffer).setBigUint64(8, 0xffff_ffff_ffffn, true);
    expect(codeOf(() => readGguf(b))).toBe('DTE_ERR_GGUF_TRUNCATED');
  });

  it('reports an unreadable path as DTE_ERR_GGUF_IO', () => {
    expect(codeOf(() => readGguf('/nonexistent/x.gguf'))).toBe('DTE_ERR_GGUF_IO');
  });
});

describe.skipIf(!hasSharedModel())('readGguf: stories260K.gguf', () => {
  const file = readGguf(sharedModel('stories260K.gguf'));

  it('reads header, metadata and tensor table', () => {
    expect(file.version).toBe(3);
    expect(file.alignment).toBe(32);
    expect(file.metadata.get('general.architecture')).toBe('llama');
    expect(file.metadata.get('llama.block_count')).toBe(5);
    expect(file.metadataTypes.get('llama.block_count')).toBe(GGUF_TYPE.UINT32);
    expect(file.metadataTypes.get('tokenizer.ggml.tokens')).toEqual({ array: GGUF_TYPE.STRING });
    const tokens = file.metadata.get('tokenizer.ggml.tokens') as string[];
    expect(tokens.length).toBe(512);
    expect(tokens.slice(0, 3)).toEqual(['<unk>', '<s>', '</s>']);
    expect(file.metadata.get('tokenizer.ggml.scores')).toBeInstanceOf(Float32Array);
    expect(file.tensors.length).toBe(48);
    const embd = file.tensor('token_embd.weight')!;
    expect(embd.type).toBe(GGML_TYPE.F32);
    expect(embd.dims).toEqual([64, 512]);
    expect(embd.nBytes).toBe(64 * 512 * 4);
    expect(embd.offset % 32).toBe(0);
    expect(embd.offset).toBe(file.dataOffset);
  });

  it('tensor data are zero-copy views into the buffer', () => {
    const t = file.tensor('blk.0.attn_q.weight')!;
    expect(t.data.buffer).toBe(file.buffer.buffer);
    expect(t.data.byteOffset - file.buffer.byteOffset).toBe(t.offset);
    const last = file.tensors.at(-1)!;
    expect(last.offset + last.nBytes).toBe(file.buffer.byteLength);
  });
});
