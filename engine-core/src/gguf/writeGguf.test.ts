import { readFileSync } from 'node:fs';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { describe, expect, it } from 'vitest';
import { GGML_TYPE } from './GGML_TYPE.ts';
import { GGUF_TYPE } from './GGUF_TYPE.ts';
import { GgufError } from './GgufError.ts';
import { everyTypeSpec } from './ggufFixtures.ts';
import {
  getNumber,
  getOptionalBoolean,
  getOptionalNumber,
  getOptionalNumberArray,
  getOptionalString,
  getString,
  getStringArray,
} from './ggufMetadata.ts';
import { readGguf } from './readGguf.ts';
import { type GgufSpec, ggufSpecOf, writeGguf } from './writeGguf.ts';

describe('writeGguf', () => {
  it('writes every metadata type and reads them back exactly', () => {
    const spec = everyTypeSpec();
    const bytes = writeGguf(spec);
    const file = readGguf(bytes);
    expect(file.version).toBe(3);
    for (const m of spec.metadata) {
      expect(file.metadata.get(m.key), m.key).toEqual(m.value);
      expect(file.metadataTypes.get(m.key), m.key).toEqual(m.type);
    }
    expect(file.metadata.get('t.u64small')).toBe(42);
    expect(getString(file, 't.str')).toBe('héllo ✓ 🌳');
    expect(getNumber(file, 't.i32')).toBe(-5);
    expect(getOptionalNumber(file, 'nope')).toBeUndefined();
    expect(getStringArray(file, 't.arr.str')).toEqual(['a', '', 'ünï']);
    expect(() => getNumber(file, 't.str')).toThrow(expect.objectContaining({ code: 'DTE_ERR_GGUF_MISSING_KEY' }));
    expect(() => getString(file, 'absent')).toThrow(expect.objectContaining({ code: 'DTE_ERR_GGUF_MISSING_KEY' }));
    expect(getOptionalString(file, 'absent')).toBeUndefined();
    expect(getOptionalBoolean(file, 't.bool')).toBe(true);
    expect(() => getOptionalBoolean(file, 't.u8')).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_GGUF_MISSING_KEY' }),
    );
    expect(Array.from(getOptionalNumberArray(file, 't.arr.i32')!)).toEqual([1, -2, 3]);
    expect(() => getOptionalNumberArray(file, 't.arr.i64')).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_GGUF_MISSING_KEY' }),
    );
    expect(() => getStringArray(file, 't.arr.f32')).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_GGUF_MISSING_KEY' }),
    );
    for (const t of spec.tensors) {
      const r = file.tensor(t.name)!;
      expect(r.dims).toEqual(t.dims);
      expect(r.type).toBe(t.type);
      expect(r.offset % 32).toBe(0);
      expect(r.data).toEqual(t.data);
    }
  });

  it('read → write → read gives the same bytes, also with a non-default alignment', () => {
    for (const alignment of [undefined, 64, 1]) {
      const bytes = writeGguf(everyTypeSpec(alignment));
      const file = readGguf(bytes);
      expect(file.alignment).toBe(alignment ?? 32);
      for (const t of file.tensors) expect(t.offset % file.alignment).toBe(0);
      expect(Buffer.from(writeGguf(ggufSpecOf(file))).equals(bytes)).toBe(true);
    }
  });

  it('headers larger than the initial 64 KiB write buffer are written intact', () => {
    const tokens = Array.from({ length: 30_000 }, (_, i) => `tok${i}\u2581ü`);
    const bytes = writeGguf({
      metadata: [
        { key: 'tokenizer.ggml.tokens', type: { array: GGUF_TYPE.STRING }, value: tokens },
        { key: 'after', type: GGUF_TYPE.UINT8, value: 7 },
        { key: 'big', type: { array: GGUF_TYPE.INT64 }, value: new BigInt64Array(20_000).fill(-3n) },
      ],
      tensors: [{ name: 't', type: GGML_TYPE.F32, dims: [2], data: new Uint8Array([0, 0, 128, 63, 0, 0, 0, 64]) }],
    });
    expect(bytes.byteLength).toBeGreaterThan(400_000);
    const file = readGguf(bytes);
    expect(file.metadata.get('tokenizer.ggml.tokens')).toEqual(tokens);
    expect(file.metadata.get('after')).toBe(7);
    expect((file.metadata.get('big') as BigInt64Array).every((v) => v === -3n)).toBe(true);
    expect([...new Float32Array(file.tensor('t')!.data.slice().buffer)]).toEqual([1, 2]);
  });

  it('rejects invalid specs with DTE_ERR_GGUF_BAD_SPEC', () => {
    const bad = (spec: Partial<GgufSpec>) => {
      try {
        writeGguf({ metadata: [], tensors: [], ...spec });
      } catch (err) {
        expect(err).toBeInstanceOf(GgufError);
        return (err as GgufError).code;
      }
      return 'no error';
    };
    expect(bad({ metadata: [{ key: 'x', type: GGUF_TYPE.UINT8, value: 256 }] })).toBe('DTE_ERR_GGUF_BAD_SPEC');
    expect(bad({ metadata: [{ key: 'x', type: GGUF_TYPE.INT32, value: 1.5 }] })).toBe('DTE_ERR_GGUF_BAD_SPEC');
    expect(bad({ metadata: [{ key: 'x', type: GGUF_TYPE.STRING, value: 3 }] })).toBe('DTE_ERR_GGUF_BAD_SPEC');
    expect(bad({ metadata: [{ key: 'x', type: GGUF_TYPE.UINT64, value: -1n }] })).toBe('DTE_ERR_GGUF_BAD_SPEC');
    expect(bad({ metadata: [{ key: 'x', type: { array: GGUF_TYPE.STRING }, value: [1] as never }] })).toBe(
      'DTE_ERR_GGUF_BAD_SPEC',
    );
    expect(
      bad({
        metadata: [
          { key: 'x', type: GGUF_TYPE.BOOL, value: true },
          { key: 'x', type: GGUF_TYPE.BOOL, value: true },
        ],
      }),
    ).toBe('DTE_ERR_GGUF_BAD_SPEC');
    expect(bad({ alignment: 48 })).toBe('DTE_ERR_GGUF_BAD_SPEC');
    expect(bad({ tensors: [{ name: 't', type: GGML_TYPE.F32, dims: [4], data: new Uint8Array(15) }] })).toBe(
      'DTE_ERR_GGUF_BAD_SPEC',
    );
    expect(bad({ tensors: [{ name: 't', type: GGML_TYPE.Q8_0, dims: [16], data: new Uint8Array(17) }] })).toBe(
      'DTE_ERR_GGUF_BAD_SPEC',
    );
    expect(bad({ tensors: [{ name: 't', type: 4, dims: [1], data: new Uint8Array(1) }] })).toBe(
      'DTE_ERR_GGUF_BAD_SPEC',
    );
  });
});

describe.skipIf(!hasSharedModel())('writeGguf: stories260K.gguf', () => {
  it('rewrites the shipped file byte for byte', () => {
    const original = new Uint8Array(readFileSync(sharedModel('stories260K.gguf')));
    expect(Buffer.from(writeGguf(ggufSpecOf(readGguf(original)))).equals(original)).toBe(true);
  });
});
