import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GGML_TYPE } from './GGML_TYPE.ts';
import { GGUF_TYPE } from './GGUF_TYPE.ts';
import { GgufError } from './GgufError.ts';
import type { GgufFile } from './GgufFile.ts';
import { readGguf } from './readGguf.ts';
import { readGgufHeader } from './readGgufHeader.ts';
import { writeGguf } from './writeGguf.ts';

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
    const bigEndian = new Uint8Array([0x47, 0x47, 0x55, 0x46, 0, 0, 0, 3, ...new Array(16).fill(0)]);
    expect(codeOf(() => readGguf(bigEndian))).toBe('DTE_ERR_GGUF_BAD_VERSION');
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

describe('readGguf: structural checks on a minimal file', () => {
  // Layout of one F32 tensor "t" with dims [8] and no metadata: name length @24, name @32,
  // n_dims @33, dim0 @37, type @45, offset @49, tensor data @64..96.
  const base = () =>
    writeGguf({ metadata: [], tensors: [{ name: 't', type: 0, dims: [8], data: new Uint8Array(32) }] });
  const patched = (fn: (v: DataView, b: Uint8Array) => void) => {
    const b = base();
    fn(new DataView(b.buffer, b.byteOffset, b.byteLength), b);
    return b;
  };

  it('the layout assumed below holds', () => {
    const f = readGguf(base());
    expect(f.dataOffset).toBe(64);
    expect(f.tensors[0]).toMatchObject({ name: 't', dims: [8], offset: 64, nBytes: 32 });
  });

  it('reads GGUF v2 (same layout as v3)', () => {
    const f = readGguf(patched((v) => v.setUint32(4, 2, true)));
    expect(f.version).toBe(2);
    expect(f.tensors.length).toBe(1);
  });

  it('rejects bad tensor infos with the offset of the bad field', () => {
    const cases: Array<[(v: DataView) => void, string, number]> = [
      [(v) => v.setUint32(33, 5, true), 'DTE_ERR_GGUF_BAD_TENSOR', 33], // 5 dims
      [(v) => v.setUint32(33, 0, true), 'DTE_ERR_GGUF_BAD_TENSOR', 33], // 0 dims
      [(v) => v.setUint32(45, 4, true), 'DTE_ERR_GGUF_BAD_TYPE', 45], // removed ggml type 4
      [(v) => v.setUint32(45, 8, true), 'DTE_ERR_GGUF_BAD_TENSOR', 33], // Q8_0 needs rows of 32
      [(v) => v.setBigUint64(49, 4n, true), 'DTE_ERR_GGUF_BAD_TENSOR', 49], // misaligned data offset
      [(v) => v.setBigUint64(49, 32n, true), 'DTE_ERR_GGUF_TRUNCATED', 49], // data past the end
      [(v) => v.setBigUint64(37, 2n ** 60n, true), 'DTE_ERR_GGUF_BAD_TENSOR', 37], // dim too large
      [(v) => v.setBigUint64(24, 2n ** 40n, true), 'DTE_ERR_GGUF_TRUNCATED', 24], // name length
    ];
    for (const [patch, code, offset] of cases) {
      try {
        readGguf(patched(patch));
        expect.fail(`expected ${code}`);
      } catch (err) {
        expect(err).toBeInstanceOf(GgufError);
        expect((err as GgufError).code).toBe(code);
        expect((err as GgufError).offset).toBe(offset);
      }
    }
  });

  it('rejects duplicate tensors, duplicate keys, bad bools and a bad general.alignment', () => {
    const two = writeGguf({
      metadata: [],
      tensors: [
        { name: 'a', type: 0, dims: [1], data: new Uint8Array(4) },
        { name: 'b', type: 0, dims: [1], data: new Uint8Array(4) },
      ],
    });
    two[32 + 1 + 4 + 8 + 4 + 8 + 8] = 0x61; // second name "b" -> "a"
    expect(codeOf(() => readGguf(two))).toBe('DTE_ERR_GGUF_BAD_TENSOR');
    const kv = writeGguf({
      metadata: [
        { key: 'x', type: GGUF_TYPE.BOOL, value: true },
        { key: 'y', type: GGUF_TYPE.BOOL, value: true },
      ],
      tensors: [],
    });
    const dup = new Uint8Array(kv);
    dup[24 + 8 + 1 + 4 + 1 + 8] = 0x78; // key "y" -> "x"
    expect(codeOf(() => readGguf(dup))).toBe('DTE_ERR_GGUF_BAD_METADATA');
    const badBool = new Uint8Array(kv);
    badBool[24 + 8 + 1 + 4] = 2;
    expect(codeOf(() => readGguf(badBool))).toBe('DTE_ERR_GGUF_BAD_METADATA');
    const align = writeGguf({
      metadata: [{ key: 'general.alignment', type: GGUF_TYPE.UINT32, value: 16 }],
      tensors: [],
    });
    new DataView(align.buffer).setUint32(align.byteLength - 4, 24, true);
    expect(codeOf(() => readGguf(align))).toBe('DTE_ERR_GGUF_BAD_ALIGNMENT');
    const wrongType = writeGguf({
      metadata: [{ key: 'general.alignmenT', type: GGUF_TYPE.UINT64, value: 64 }],
      tensors: [],
    });
    wrongType[24 + 8 + 16] = 0x74; // key "general.alignmenT" -> "general.alignment"
    expect(codeOf(() => readGguf(wrongType))).toBe('DTE_ERR_GGUF_BAD_ALIGNMENT');
    const unknownValueType = new Uint8Array(kv);
    new DataView(unknownValueType.buffer).setUint32(24 + 8 + 1, 13, true);
    expect(codeOf(() => readGguf(unknownValueType))).toBe('DTE_ERR_GGUF_BAD_TYPE');
  });
});

describe.skipIf(!hasSharedModel())('readGguf: stories260K.gguf', () => {
  // Read in beforeAll, not while collecting: a skipped suite's body still runs at collection.
  let file: GgufFile;
  beforeAll(() => {
    file = readGguf(sharedModel('stories260K.gguf'));
  });

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

describe('readGgufHeader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dte-gguf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads metadata and tensor infos of a file whose header outgrows the first 1 MiB read', () => {
    const tokens = Array.from({ length: 120_000 }, (_, i) => `token-${i}`);
    const bytes = writeGguf({
      metadata: [{ key: 'tokenizer.ggml.tokens', type: { array: GGUF_TYPE.STRING }, value: tokens }],
      tensors: [{ name: 'w', type: GGML_TYPE.F32, dims: [4, 2], data: new Uint8Array(32) }],
    });
    expect(bytes.byteLength).toBeGreaterThan(2 << 20);
    const path = join(dir, 'big-header.gguf');
    writeFileSync(path, bytes);
    const header = readGgufHeader(path);
    const full = readGguf(bytes);
    expect(header.fileSize).toBe(bytes.byteLength);
    expect(header.dataOffset).toBe(full.dataOffset);
    expect(header.metadata.get('tokenizer.ggml.tokens')).toEqual(tokens);
    expect(header.tensors).toEqual(full.tensors.map(({ data: _d, ...t }) => t));
  });

  it('still checks tensor ranges against the file size and reports malformed files', () => {
    const bytes = writeGguf({
      metadata: [],
      tensors: [{ name: 'w', type: GGML_TYPE.F32, dims: [64], data: new Uint8Array(256) }],
    });
    const cut = join(dir, 'cut.gguf');
    writeFileSync(cut, bytes.subarray(0, bytes.byteLength - 1));
    expect(codeOf(() => readGgufHeader(cut))).toBe('DTE_ERR_GGUF_TRUNCATED');
    const junk = join(dir, 'junk.gguf');
    writeFileSync(junk, 'not a gguf');
    expect(codeOf(() => readGgufHeader(junk))).toBe('DTE_ERR_GGUF_BAD_MAGIC');
    expect(codeOf(() => readGgufHeader(join(dir, 'missing.gguf')))).toBe('DTE_ERR_GGUF_IO');
  });
});
