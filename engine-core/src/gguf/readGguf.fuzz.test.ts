import { readFileSync } from 'node:fs';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { describe, expect, it } from 'vitest';
import { GGUF_TYPE } from './GGUF_TYPE.ts';
import { GgufError } from './GgufError.ts';
import { everyTypeSpec } from './ggufFixtures.ts';
import { parseGgufPrefix, readGguf } from './readGguf.ts';
import { ggufSpecOf, writeGguf } from './writeGguf.ts';

/** mulberry32: seeded PRNG so every failing case can be replayed from its seed. */
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

const HUGE = [
  0xffff_ffff_ffff_ffffn,
  0x8000_0000_0000_0000n,
  0x1_0000_0000n,
  0xffff_ffffn,
  0x7fff_ffffn,
  0x10_0000n,
  1000n,
  13n,
  0n,
  1n,
  2n,
  9n,
];

interface Outcome {
  parsed: number;
  rejected: Map<string, number>;
  slowestMs: number;
}

/**
 * Mutates `original` `cases` times (truncation, byte flips, a u64/u32 length field overwritten with an
 * extreme value) and checks every result either parses or throws GgufError, quickly. Mutations are
 * applied in place on one working copy and undone, so a big file is not copied per case.
 */
function fuzz(original: Uint8Array, headerEnd: number, cases: number, seed: number): Outcome {
  const r = rng(seed);
  const work = new Uint8Array(original);
  const view = new DataView(work.buffer);
  const out: Outcome = { parsed: 0, rejected: new Map(), slowestMs: 0 };
  for (let c = 0; c < cases; c++) {
    const kind = c % 4;
    let input = work;
    const touched: number[] = [];
    const touch = (at: number, n: number) => {
      for (let i = at; i < Math.min(at + n, work.length); i++) touched.push(i);
    };
    if (kind === 0) {
      input = work.subarray(0, Math.floor(r() * (r() < 0.8 ? headerEnd : work.length)));
    } else if (kind === 1) {
      const flips = 1 + Math.floor(r() * 8);
      for (let f = 0; f < flips; f++) {
        const at = Math.floor(r() * headerEnd);
        touch(at, 1);
        work[at] = work[at]! ^ (1 << Math.floor(r() * 8));
      }
    } else {
      const at = Math.min(Math.floor(r() * headerEnd), work.length - 8);
      const v = HUGE[Math.floor(r() * HUGE.length)]! + (r() < 0.3 ? BigInt(Math.floor(r() * 64)) : 0n);
      touch(at, 8);
      if (kind === 2) view.setBigUint64(at, v & 0xffff_ffff_ffff_ffffn, true);
      else view.setUint32(at, Number(v & 0xffff_ffffn), true);
    }
    const t0 = performance.now();
    try {
      const file = readGguf(input);
      out.parsed++;
      // A file that parses can be rewritten and re-read with the same metadata.
      const again = readGguf(writeGguf(ggufSpecOf(file)));
      expect(again.metadata.size).toBe(file.metadata.size);
      expect(again.tensors.length).toBe(file.tensors.length);
    } catch (err) {
      if (!(err instanceof GgufError)) {
        throw new Error(`case ${c} (seed ${seed}, kind ${kind}) threw a non-GgufError: ${String(err)}`);
      }
      expect(err.offset).toBeLessThanOrEqual(input.length);
      out.rejected.set(err.code, (out.rejected.get(err.code) ?? 0) + 1);
    }
    out.slowestMs = Math.max(out.slowestMs, performance.now() - t0);
    for (const i of touched) work[i] = original[i]!;
  }
  return out;
}

describe('readGguf fuzz: hostile inputs parse or throw GgufError', () => {
  it('4000 mutations of a synthetic file with every metadata type', () => {
    const bytes = writeGguf(everyTypeSpec());
    const headerEnd = readGguf(bytes).dataOffset;
    const res = fuzz(bytes, headerEnd, 4000, 1);
    expect(res.parsed).toBeGreaterThan(0);
    for (const code of ['DTE_ERR_GGUF_TRUNCATED', 'DTE_ERR_GGUF_BAD_TYPE', 'DTE_ERR_GGUF_BAD_MAGIC']) {
      expect(res.rejected.get(code), code).toBeGreaterThan(0);
    }
    expect(res.slowestMs).toBeLessThan(500);
  });

  it('header-only parsing of random prefixes with a claimed file size: parse or GgufError', () => {
    const bytes = writeGguf(everyTypeSpec());
    const r = rng(9);
    let parsed = 0;
    for (let c = 0; c < 2000; c++) {
      const work = new Uint8Array(bytes);
      const at = Math.floor(r() * 600);
      work[at] = work[at]! ^ (1 << Math.floor(r() * 8));
      const head = work.subarray(0, Math.floor(r() * work.length));
      const claimed = Math.floor(r() * 2 * work.length);
      try {
        const f = parseGgufPrefix(head, Math.max(claimed, head.length));
        for (const t of f.tensors) expect(t.offset + t.nBytes).toBeLessThanOrEqual(Math.max(claimed, head.length));
        parsed++;
      } catch (err) {
        if (!(err instanceof GgufError)) throw new Error(`prefix case ${c}: non-GgufError ${String(err)}`);
      }
    }
    expect(parsed).toBeGreaterThan(0);
  });

  it('rejects arrays nested beyond the depth limit without recursing the stack away', () => {
    // Header, 0 tensors, 1 kv: key "k", type ARRAY, then 100000 levels of "array of 1 array".
    const levels = 100_000;
    const b = new Uint8Array(24 + 9 + 4 + levels * 12 + 12);
    const v = new DataView(b.buffer);
    b.set([0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0]);
    v.setBigUint64(16, 1n, true);
    v.setBigUint64(24, 1n, true);
    b[32] = 0x6b;
    v.setUint32(33, GGUF_TYPE.ARRAY, true);
    for (let i = 0; i < levels; i++) {
      v.setUint32(37 + i * 12, GGUF_TYPE.ARRAY, true);
      v.setBigUint64(41 + i * 12, 1n, true);
    }
    expect(() => readGguf(b)).toThrow(expect.objectContaining({ code: 'DTE_ERR_GGUF_BAD_METADATA' }));
  });
});

describe.skipIf(!hasSharedModel())('readGguf fuzz: stories260K.gguf', () => {
  it('3000 mutations of the real file', () => {
    const bytes = new Uint8Array(readFileSync(sharedModel('stories260K.gguf')));
    const headerEnd = readGguf(bytes).dataOffset;
    const res = fuzz(bytes, headerEnd, 3000, 2);
    expect(res.rejected.get('DTE_ERR_GGUF_TRUNCATED')).toBeGreaterThan(0);
    expect(res.slowestMs).toBeLessThan(500);
  });
});
