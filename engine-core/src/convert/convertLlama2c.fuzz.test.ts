import { readFileSync } from 'node:fs';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../EngineError.ts';
import { convertLlama2c } from './convertLlama2c.ts';
import { tinyCheckpoint, tinyTokenizer } from './llama2cFixtures.ts';

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

const EXTREMES = [0, 1, -1, 2, 7, 0x7fffffff, -0x80000000, 0x10000, 255];

/** Mutates the checkpoint header or the tokenizer; each case converts or throws a CONVERT EngineError. */
function fuzz(ckpt: Uint8Array, tok: Uint8Array, cases: number, seed: number): { ok: number; codes: Set<string> } {
  const r = rng(seed);
  const codes = new Set<string>();
  let ok = 0;
  for (let c = 0; c < cases; c++) {
    const a = new Uint8Array(ckpt.subarray(0, 28));
    const b = new Uint8Array(tok);
    let body = ckpt.subarray(28);
    const target = c % 2 === 0 ? a : b;
    const kind = Math.floor(r() * 3);
    let tokIn: Uint8Array = b;
    if (kind === 0) {
      const at = Math.floor(r() * (target.length - 3)) & ~3;
      new DataView(target.buffer).setInt32(at, EXTREMES[Math.floor(r() * EXTREMES.length)]!, true);
    } else if (kind === 1) {
      for (let f = 0; f < 4; f++) {
        const at = Math.floor(r() * target.length);
        target[at] = target[at]! ^ (1 << Math.floor(r() * 8));
      }
    } else if (c % 2 === 0) {
      body = body.subarray(0, Math.floor(r() * body.length));
    } else {
      tokIn = b.subarray(0, Math.floor(r() * b.length));
    }
    const model = new Uint8Array(28 + body.length);
    model.set(a, 0);
    model.set(body, 28);
    try {
      convertLlama2c(model, tokIn);
      ok++;
    } catch (err) {
      if (!(err instanceof EngineError)) throw new Error(`case ${c}: non-EngineError ${String(err)}`);
      expect(err.code).toMatch(/^DTE_ERR_CONVERT_/);
      codes.add(err.code);
    }
  }
  return { ok, codes };
}

describe('llama2.c converter fuzz: hostile headers and tokenizers', () => {
  it('1000 mutations of a tiny checkpoint + tokenizer', () => {
    const res = fuzz(tinyCheckpoint(true), tinyTokenizer(['a', 'b', 'c', '<0x0A>', ' the']), 1000, 3);
    expect(res.codes).toEqual(new Set(['DTE_ERR_CONVERT_BAD_CHECKPOINT', 'DTE_ERR_CONVERT_BAD_TOKENIZER']));
    expect(res.ok).toBeGreaterThan(0);
  });

  it('an "ak42" (llama2.c export version 1/2) checkpoint is refused with a clear code', () => {
    const ckpt = tinyCheckpoint(true);
    ckpt.set([0x32, 0x34, 0x6b, 0x61, 1, 0, 0, 0]);
    expect(() => convertLlama2c(ckpt, tinyTokenizer(['a', 'b', 'c', 'd', 'e']))).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_CONVERT_BAD_CHECKPOINT' }),
    );
  });
});

describe.skipIf(!hasSharedModel('stories260K.bin') || !hasSharedModel('tok512.bin'))(
  'llama2.c converter fuzz: stories260K',
  () => {
    it('300 mutations of the real checkpoint header and tokenizer', () => {
      const res = fuzz(readFileSync(sharedModel('stories260K.bin')), readFileSync(sharedModel('tok512.bin')), 300, 4);
      expect(res.codes.has('DTE_ERR_CONVERT_BAD_CHECKPOINT')).toBe(true);
      expect(res.codes.has('DTE_ERR_CONVERT_BAD_TOKENIZER')).toBe(true);
    });
  },
);
