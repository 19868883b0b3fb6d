// llama.cpp (node-llama-cpp) loads our converted and quantized files and computes with them: proof
// that the writer's layout and the quantizers' block formats are the ones ggml expects.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlamaCppOracle } from '../../test/support/llamaCppOracle.ts';
import { GGML_TYPE } from '../gguf/GGML_TYPE.ts';
import { readGguf } from '../gguf/readGguf.ts';
import { convertLlama2c } from './convertLlama2c.ts';

function correlation(a: Float32Array, b: Float32Array): number {
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < a.length; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= a.length;
  mb /= b.length;
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

const PROMPT = [1, 403, 407, 261, 1008 % 512, 300, 290, 272, 261, 330, 375, 400];

describe.skipIf(!hasSharedModel() || !hasSharedModel('stories260K.bin') || !hasSharedModel('tok512.bin'))(
  'convertLlama2c --type: llama.cpp runs our quantized conversions',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'dte-convert-'));
    let reference: Float32Array;
    beforeAll(async () => {
      const oracle = await LlamaCppOracle.load(sharedModel('stories260K.gguf'), { contextSize: 64 });
      reference = await oracle.lastLogits(PROMPT);
      await oracle.dispose();
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const cases: Array<[string, number, number]> = [
      ['F16', GGML_TYPE.F16, 0.99999],
      ['BF16', GGML_TYPE.BF16, 0.9999],
      ['Q8_0', GGML_TYPE.Q8_0, 0.9999],
      ['Q4_0', GGML_TYPE.Q4_0, 0.99],
    ];
    for (const [name, type, minCorrelation] of cases) {
      it(`${name}: llama.cpp's logits track the F32 model's`, async () => {
        const bytes = convertLlama2c(
          readFileSync(sharedModel('stories260K.bin')),
          readFileSync(sharedModel('tok512.bin')),
          {
            type,
            contextLength: 2048,
          },
        );
        const file = readGguf(bytes);
        expect(file.tensor('blk.0.attn_q.weight')!.type).toBe(type);
        // Rows of 172 hold no whole 32-blocks: ffn_down stays F32 for the block-quantized types.
        const blockwise = type === GGML_TYPE.Q8_0 || type === GGML_TYPE.Q4_0;
        expect(file.tensor('blk.0.ffn_down.weight')!.type).toBe(blockwise ? GGML_TYPE.F32 : type);
        expect(file.metadata.get('general.file_type')).toBeTypeOf('number');
        expect(file.tensor('output_norm.weight')!.type).toBe(GGML_TYPE.F32);
        const path = join(dir, `stories260K-${name}.gguf`);
        writeFileSync(path, bytes);
        const oracle = await LlamaCppOracle.load(path, { contextSize: 64 });
        try {
          const logits = await oracle.lastLogits(PROMPT);
          const r = correlation(reference, logits);
          console.log(`[convert ${name}] correlation with F32 logits: ${r.toFixed(6)}`);
          expect(r).toBeGreaterThan(minCorrelation);
        } finally {
          await oracle.dispose();
        }
      });
    }
  },
);
