import { describe, expect, it } from 'vitest';
import { dequantize, scaleMinK4 } from './dequantize.ts';
import { GGML_TYPE } from './GGML_TYPE.ts';

function u16le(bytes: Uint8Array, at: number, v: number): void {
  bytes[at] = v & 0xff;
  bytes[at + 1] = v >> 8;
}

describe('dequantize: known blocks built by hand from ggml block layouts', () => {
  it('F32, F16 and BF16', () => {
    const f32 = new Uint8Array(new Float32Array([1.5, -2.25]).buffer);
    expect([...dequantize(GGML_TYPE.F32, f32, 2)]).toEqual([1.5, -2.25]);
    const f16 = new Uint8Array(12);
    [0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x3555].forEach((h, i) => {
      u16le(f16, i * 2, h);
    });
    expect([...dequantize(GGML_TYPE.F16, f16, 6)]).toEqual([1, -2, 65504, 2 ** -24, Infinity, 0.333251953125]);
    const bf16 = new Uint8Array(4);
    u16le(bf16, 0, 0x3f80);
    u16le(bf16, 2, 0xc040);
    expect([...dequantize(GGML_TYPE.BF16, bf16, 2)]).toEqual([1, -3]);
  });

  it('Q8_0: x = d * qs[j]', () => {
    const b = new Uint8Array(34);
    u16le(b, 0, 0x3800); // d = 0.5
    b.set([0x80, 0xff, 0x00, 0x01, 0x7f], 2); // -128, -1, 0, 1, 127
    const y = dequantize(GGML_TYPE.Q8_0, b, 32);
    expect([...y.slice(0, 6)]).toEqual([-64, -0.5, 0, 0.5, 63.5, 0]);
  });

  it('Q4_0: low nibbles are x[0..15], high nibbles x[16..31], offset 8', () => {
    const b = new Uint8Array(18);
    u16le(b, 0, 0x4000); // d = 2
    b[2] = 0xf0; // x[0] = (0-8)*2, x[16] = (15-8)*2
    b[3] = 0x98; // x[1] = 0, x[17] = 2
    const y = dequantize(GGML_TYPE.Q4_0, b, 32);
    expect([y[0], y[16], y[1], y[17], y[2], y[18]]).toEqual([-16, 14, 0, 2, -16, -16]);
  });

  it('Q4_K: 6-bit packed scales/mins, x = d*sc*q - dmin*m', () => {
    const s = new Uint8Array([130, 1, 0, 0, 67, 0, 0, 0, 165, 0, 0, 0]);
    expect(scaleMinK4(s, 0, 0)).toEqual([2, 3]);
    expect(scaleMinK4(s, 0, 1)).toEqual([1, 0]);
    expect(scaleMinK4(s, 0, 4)).toEqual([37, 26]);
    const b = new Uint8Array(144);
    u16le(b, 0, 0x3c00); // d = 1
    u16le(b, 2, 0x3800); // dmin = 0.5
    b.set(s, 4);
    b[16] = 0x97; // qs[0]: x[0] gets 7 (sub-block 0), x[32] gets 9 (sub-block 1)
    b[16 + 64] = 0x03; // qs[64]: x[128] gets 3 (sub-block 4)
    const y = dequantize(GGML_TYPE.Q4_K, b, 256);
    const want = new Float32Array(256);
    for (let e = 0; e < 256; e++) want[e] = e < 32 ? -1.5 : e >= 128 && e < 160 ? -13 : 0;
    want[0] = 12.5; // 1*2*7 - 0.5*3
    want[32] = 9; // 1*1*9 - 0
    want[128] = 98; // 1*37*3 - 0.5*26
    expect([...y]).toEqual([...want]);
  });

  it('Q6_K: 4 low bits in ql, 2 high bits in qh, int8 scale per 16, minus 32', () => {
    const b = new Uint8Array(210);
    const scales = new Int8Array(16);
    scales.set([2, 0, -1, 0, 5, 0, 1, 0, 0, -3]);
    b.set(new Uint8Array(scales.buffer), 192);
    u16le(b, 208, 0x3c00); // d = 1
    b[0] = 0xa5; // ql[0]
    b[128] = 0b11_10_01_00; // qh[0]
    b[64 + 17] = 0x0f; // ql[64+17]: element 128+17
    const y = dequantize(GGML_TYPE.Q6_K, b, 256);
    const want = new Float32Array(256);
    for (let e = 0; e < 256; e++) want[e] = -32 * scales[e >> 4]!;
    want[0] = 2 * (5 - 32); // -54
    want[32] = -1 * (16 - 32); // 16
    want[64] = 5 * ((10 | 32) - 32); // 50
    want[96] = 1 * (48 - 32); // 16
    want[128 + 17] = -3 * (15 - 32); // 51
    expect([...y]).toEqual([...want]);
  });

  it('rejects unsupported types and short data with typed errors', () => {
    expect(() => dequantize(GGML_TYPE.Q8_0, new Uint8Array(33), 32)).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_QUANT_BAD_SIZE' }),
    );
    expect(() => dequantize(GGML_TYPE.Q8_0, new Uint8Array(34), 31)).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_QUANT_BAD_SIZE' }),
    );
    expect(() => dequantize(10, new Uint8Array(84), 256)).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_QUANT_UNSUPPORTED' }),
    );
    expect(() => dequantize(99, new Uint8Array(4), 1)).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_QUANT_UNSUPPORTED' }),
    );
  });
});
