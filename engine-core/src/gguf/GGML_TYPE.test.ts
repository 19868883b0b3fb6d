import { GGML_BLOCK, GGML_TYPE as NATIVE_GGML_TYPE } from '@dte/native';
import { describe, expect, it } from 'vitest';
import { GGML_TYPE, GGML_TYPE_INFO, ggmlTypeName, isSupportedGgmlType } from './GGML_TYPE.ts';

describe('GGML_TYPE', () => {
  it('is @dte/native’s table: the computed types, their names and layouts are the kernels’ own', () => {
    expect(GGML_TYPE).toBe(NATIVE_GGML_TYPE);
    for (const [name, id] of Object.entries(GGML_TYPE)) {
      expect(GGML_TYPE_INFO.get(id)).toEqual({ name, blockSize: GGML_BLOCK[id].size, typeSize: GGML_BLOCK[id].bytes });
      expect(isSupportedGgmlType(id)).toBe(true);
    }
  });

  it('also knows the parse-only types a GGUF may name, in id order', () => {
    expect(GGML_TYPE_INFO.size).toBe(32);
    const ids = [...GGML_TYPE_INFO.keys()];
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(GGML_TYPE_INFO.get(13)).toEqual({ name: 'Q5_K', blockSize: 256, typeSize: 176 });
    expect(GGML_TYPE_INFO.get(39)).toEqual({ name: 'MXFP4', blockSize: 32, typeSize: 17 });
    expect(isSupportedGgmlType(13)).toBe(false);
    expect(ggmlTypeName(12)).toBe('Q4_K');
    expect(ggmlTypeName(4)).toBe('type4');
  });
});
