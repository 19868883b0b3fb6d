// Test-only fixtures (not exported from the barrel).
import { GGML_TYPE } from './GGML_TYPE.ts';
import { GGUF_TYPE } from './GGUF_TYPE.ts';
import { quantize } from './quantize.ts';
import type { GgufSpec } from './writeGguf.ts';

/** A file using every metadata type, nested arrays and several tensor types. */
export function everyTypeSpec(alignment?: number): GgufSpec {
  const f32 = new Float32Array(512).map((_, i) => Math.sin(i));
  return {
    alignment,
    metadata: [
      { key: 'general.architecture', type: GGUF_TYPE.STRING, value: 'llama' },
      { key: 't.u8', type: GGUF_TYPE.UINT8, value: 255 },
      { key: 't.i8', type: GGUF_TYPE.INT8, value: -128 },
      { key: 't.u16', type: GGUF_TYPE.UINT16, value: 65535 },
      { key: 't.i16', type: GGUF_TYPE.INT16, value: -32768 },
      { key: 't.u32', type: GGUF_TYPE.UINT32, value: 0xffffffff },
      { key: 't.i32', type: GGUF_TYPE.INT32, value: -5 },
      { key: 't.f32', type: GGUF_TYPE.FLOAT32, value: 1.5 },
      { key: 't.bool', type: GGUF_TYPE.BOOL, value: true },
      { key: 't.str', type: GGUF_TYPE.STRING, value: 'héllo ✓ 🌳' },
      { key: 't.u64', type: GGUF_TYPE.UINT64, value: 0xffff_ffff_ffff_ffffn },
      { key: 't.u64small', type: GGUF_TYPE.UINT64, value: 42 },
      { key: 't.i64', type: GGUF_TYPE.INT64, value: -(2n ** 63n) },
      { key: 't.f64', type: GGUF_TYPE.FLOAT64, value: Math.PI },
      { key: 't.arr.f32', type: { array: GGUF_TYPE.FLOAT32 }, value: new Float32Array([1, -2, 0.25]) },
      { key: 't.arr.i32', type: { array: GGUF_TYPE.INT32 }, value: new Int32Array([1, -2, 3]) },
      { key: 't.arr.u8', type: { array: GGUF_TYPE.UINT8 }, value: new Uint8Array([1, 2]) },
      { key: 't.arr.i64', type: { array: GGUF_TYPE.INT64 }, value: new BigInt64Array([-1n, 2n ** 62n]) },
      { key: 't.arr.bool', type: { array: GGUF_TYPE.BOOL }, value: [true, false] },
      { key: 't.arr.str', type: { array: GGUF_TYPE.STRING }, value: ['a', '', 'ünï'] },
      { key: 't.arr.empty', type: { array: GGUF_TYPE.STRING }, value: [] },
      {
        key: 't.arr.nested',
        type: { arrays: [{ array: GGUF_TYPE.UINT16 }, { arrays: [{ array: GGUF_TYPE.STRING }] }] },
        value: [new Uint16Array([7, 8]), [['x', 'yz']]],
      },
    ],
    tensors: [
      { name: 'a.f32', type: GGML_TYPE.F32, dims: [32, 4], data: quantize(GGML_TYPE.F32, f32.subarray(0, 128)) },
      { name: 'b.q8', type: GGML_TYPE.Q8_0, dims: [64, 2], data: quantize(GGML_TYPE.Q8_0, f32.subarray(0, 128)) },
      { name: 'c.f16', type: GGML_TYPE.F16, dims: [3], data: quantize(GGML_TYPE.F16, new Float32Array([1, 2, 3])) },
      { name: 'd.q4k', type: GGML_TYPE.Q4_K, dims: [256, 2], data: quantize(GGML_TYPE.Q4_K, f32) },
      { name: 'e.q6k', type: GGML_TYPE.Q6_K, dims: [256, 1, 2], data: quantize(GGML_TYPE.Q6_K, f32) },
    ],
  };
}
