import { describe, expect, it } from 'vitest';
import { BlockManager } from './BlockManager.ts';
import { resolveSamplingParams } from './SamplingParams.ts';
import { Sequence } from './Sequence.ts';

let nextId = 0;
function seq(tokens: number[]): Sequence {
  return new Sequence({
    seqId: nextId++,
    requestId: 'r',
    sampleIndex: 0,
    promptTokenIds: tokens,
    params: resolveSamplingParams({}, 1000),
    seed: 0,
    priority: 0,
    ownerKey: undefined,
    arrivalOrder: 0,
    step: 0,
  });
}

function prefill(bm: BlockManager, s: Sequence): void {
  expect(
    bm.allocate(s, s.numTokens - s.numComputedTokens, s.blockTable.length === 0 ? bm.findCachedPrefix(s) : undefined),
  ).toBe(true);
  s.numComputedTokens = s.numTokens;
  bm.commitComputed(s);
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

describe('BlockManager', () => {
  it('shares full computed blocks of a common prefix, with reference counts', () => {
    const bm = new BlockManager({ numBlocks: 10, blockSize: 4 });
    const a = seq(range(10));
    prefill(bm, a);
    const b = seq([...range(8), 99, 98]);
    const cached = bm.findCachedPrefix(b);
    expect(cached.blocks).toEqual(a.blockTable.slice(0, 2));
    expect(bm.allocate(b, 2, cached)).toBe(true);
    expect(b.numComputedTokens).toBe(8);
    expect(bm.refCount(a.blockTable[0]!)).toBe(2);
    expect(bm.hitRate).toBeCloseTo(8 / 20);
    bm.free(a);
    bm.free(b);
    expect(bm.numFreeBlocks).toBe(10);
  });

  it('never serves the last token from the cache (its logits are needed)', () => {
    const bm = new BlockManager({ numBlocks: 10, blockSize: 4 });
    const a = seq(range(8));
    prefill(bm, a);
    expect(bm.findCachedPrefix(seq(range(8))).blocks.length).toBe(1);
    expect(bm.findCachedPrefix(seq(range(9))).blocks.length).toBe(2);
  });

  it('the hash chain keys whole prefixes: the same block after a different prefix misses', () => {
    const bm = new BlockManager({ numBlocks: 10, blockSize: 2 });
    prefill(bm, seq([1, 2, 3, 4, 5]));
    expect(bm.findCachedPrefix(seq([9, 9, 3, 4, 5])).blocks.length).toBe(0);
    expect(bm.findCachedPrefix(seq([1, 2, 3, 4, 5])).blocks.length).toBe(2);
  });

  it('freed cached blocks stay reusable until evicted, least recently freed first', () => {
    const bm = new BlockManager({ numBlocks: 4, blockSize: 2 });
    const a = seq([1, 2, 3]);
    prefill(bm, a);
    bm.free(a);
    const b = seq([5, 6, 7]);
    prefill(bm, b);
    bm.free(b);
    expect(bm.numCachedBlocks).toBe(2);
    // A new allocation takes uncached blocks first, then evicts the least recently freed cached one.
    const c = seq([8, 9, 10, 11, 12]);
    prefill(bm, c); // needs 3 blocks: 2 uncached first, then the least recently freed cached one (a's)
    expect(bm.findCachedPrefix(seq([1, 2, 3])).blocks.length).toBe(0);
    expect(bm.findCachedPrefix(seq([5, 6, 7])).blocks.length).toBe(1);
  });

  it('fork shares full prompt blocks and leaves the partial tail to the child', () => {
    const bm = new BlockManager({ numBlocks: 10, blockSize: 4 });
    const p = seq(range(10));
    prefill(bm, p);
    const c = seq(range(10));
    bm.fork(p, c, 10);
    expect(c.blockTable).toEqual(p.blockTable.slice(0, 2));
    expect(c.numComputedTokens).toBe(8);
    expect(bm.refCount(p.blockTable[1]!)).toBe(2);
    expect(bm.refCount(p.blockTable[2]!)).toBe(1);
  });

  it('reports false without side effects when blocks run out', () => {
    const bm = new BlockManager({ numBlocks: 2, blockSize: 4 });
    const a = seq(range(12));
    expect(bm.allocate(a, 12)).toBe(false);
    expect(a.blockTable).toEqual([]);
    expect(bm.numFreeBlocks).toBe(2);
  });

  it('a hash collision is caught by comparing tokens (a miss, never wrong KV)', () => {
    const bm = new BlockManager({ numBlocks: 8, blockSize: 2, hashBlock: () => 42 });
    const a = seq([1, 2, 3]);
    prefill(bm, a);
    expect(bm.findCachedPrefix(seq([1, 2, 9])).blocks.length).toBe(1);
    expect(bm.findCachedPrefix(seq([7, 8, 9])).blocks.length).toBe(0);
  });

  it('a block released more often than it was taken is DTE_ERR_ENGINE_INTERNAL', () => {
    const bm = new BlockManager({ numBlocks: 4, blockSize: 4 });
    const a = seq(range(6));
    prefill(bm, a);
    // A second sequence claiming the same blocks without taking references (a scheduler bug).
    const b = seq(range(6));
    b.blockTable = [...a.blockTable];
    bm.free(a);
    expect(() => bm.free(b)).toThrow(expect.objectContaining({ code: 'DTE_ERR_ENGINE_INTERNAL', name: 'EngineError' }));
  });
});
