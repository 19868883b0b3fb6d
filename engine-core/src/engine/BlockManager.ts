import { EngineError } from '../EngineError.ts';
import { hashBlockTokens, ROOT_BLOCK_HASH } from './hashBlockTokens.ts';
import type { Sequence } from './Sequence.ts';

/** Options of a {@link BlockManager}. */
export interface BlockManagerOptions {
  numBlocks: number;
  /** Tokens per KV block. Default 16. */
  blockSize?: number;
  /** Reuse computed full blocks across sequences with the same prefix. Default true. */
  enablePrefixCaching?: boolean;
  /** Block key function (tests inject a colliding one). Default {@link hashBlockTokens}. */
  hashBlock?: typeof hashBlockTokens;
}

/** Full blocks found in the prefix cache for a sequence about to be admitted. */
export interface CachedPrefix {
  blocks: number[];
  hashes: number[];
}

const NONE = -1;

/**
 * Paged KV block allocator (nano-vLLM / vLLM v1 shape): reference-counted blocks, a prefix cache keyed
 * by a hash chain over full blocks (collision-checked by comparing tokens), and an LRU free queue in
 * which freed cached blocks stay reusable until a new allocation evicts them.
 */
export class BlockManager {
  readonly numBlocks: number;
  readonly blockSize: number;
  readonly enablePrefixCaching: boolean;
  private readonly refCounts: Int32Array;
  private readonly blockHash: Float64Array;
  private readonly blockParent: Float64Array;
  private readonly blockTokens: (number[] | undefined)[];
  private readonly hashToBlock = new Map<number, number>();
  private readonly hash: typeof hashBlockTokens;
  // Free queue: doubly linked list over block ids; the head is evicted first.
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  private head = NONE;
  private tail = NONE;
  private freeCount = 0;
  /** Prompt tokens looked up in the prefix cache, and how many hit. */
  numQueriedTokens = 0;
  numHitTokens = 0;

  constructor(options: BlockManagerOptions) {
    const { numBlocks, blockSize = 16, enablePrefixCaching = true } = options;
    if (!Number.isInteger(numBlocks) || numBlocks < 1) {
      throw new EngineError('DTE_ERR_ENGINE_BAD_CONFIG', `BlockManager: numBlocks must be a positive integer`);
    }
    if (!Number.isInteger(blockSize) || blockSize < 1) {
      throw new EngineError('DTE_ERR_ENGINE_BAD_CONFIG', `BlockManager: blockSize must be a positive integer`);
    }
    this.numBlocks = numBlocks;
    this.blockSize = blockSize;
    this.enablePrefixCaching = enablePrefixCaching;
    this.hash = options.hashBlock ?? hashBlockTokens;
    this.refCounts = new Int32Array(numBlocks);
    this.blockHash = new Float64Array(numBlocks).fill(Number.NaN);
    this.blockParent = new Float64Array(numBlocks);
    this.blockTokens = new Array(numBlocks).fill(undefined);
    this.prev = new Int32Array(numBlocks).fill(NONE);
    this.next = new Int32Array(numBlocks).fill(NONE);
    for (let b = 0; b < numBlocks; b++) this.pushTail(b);
  }

  /** Blocks that a new allocation may take (free, including cached ones not in use). */
  get numFreeBlocks(): number {
    return this.freeCount;
  }

  /** Fraction of blocks referenced by live sequences. */
  get usage(): number {
    return (this.numBlocks - this.freeCount) / this.numBlocks;
  }

  /** Fraction of looked-up prompt tokens served from the prefix cache. */
  get hitRate(): number {
    return this.numQueriedTokens === 0 ? 0 : this.numHitTokens / this.numQueriedTokens;
  }

  /** Blocks currently registered in the prefix cache (in use or evictable). */
  get numCachedBlocks(): number {
    return this.hashToBlock.size;
  }

  refCount(block: number): number {
    return this.refCounts[block]!;
  }

  /** Blocks needed to hold `numTokens` tokens. */
  blocksFor(numTokens: number): number {
    return Math.ceil(numTokens / this.blockSize);
  }

  /**
   * Longest run of computed full blocks matching the sequence's leading tokens, leaving at least one
   * token to compute (its logits are needed).
   */
  findCachedPrefix(seq: Sequence): CachedPrefix {
    const result: CachedPrefix = { blocks: [], hashes: [] };
    const bs = this.blockSize;
    const maxFull = Math.floor((seq.numTokens - 1) / bs);
    if (!this.enablePrefixCaching) return result;
    let parent = ROOT_BLOCK_HASH;
    for (let i = 0; i < maxFull; i++) {
      const h = this.hash(parent, seq.tokenIds, i * bs, (i + 1) * bs);
      const b = this.hashToBlock.get(h);
      if (b === undefined || !this.sameContent(b, parent, seq.tokenIds, i * bs)) break;
      result.blocks.push(b);
      result.hashes.push(h);
      parent = h;
    }
    return result;
  }

  /**
   * Reserves blocks so that `seq` can hold `numComputedTokens + numNewTokens` tokens; on admission
   * `cached` (from {@link findCachedPrefix}) is adopted first. Returns false, changing nothing, when
   * there are not enough free blocks. An admission (`cached` given) counts in the hit-rate statistics.
   */
  allocate(seq: Sequence, numNewTokens: number, cached?: CachedPrefix): boolean {
    const hits = cached?.blocks ?? [];
    let numEvictableHits = 0;
    for (const b of hits) if (this.refCounts[b] === 0) numEvictableHits++;
    const numComputed = hits.length > 0 ? hits.length * this.blockSize : seq.numComputedTokens;
    const numHeld = seq.blockTable.length + hits.length;
    const numNeeded = Math.max(0, this.blocksFor(numComputed + numNewTokens) - numHeld);
    if (numNeeded + numEvictableHits > this.freeCount) return false;
    if (cached !== undefined) {
      this.numQueriedTokens += seq.numTokens;
      this.numHitTokens += hits.length * this.blockSize;
    }
    if (hits.length > 0) {
      for (const b of hits) {
        if (this.refCounts[b] === 0) this.unlink(b);
        this.refCounts[b]!++;
      }
      seq.blockTable.push(...hits);
      seq.blockHashes.push(...cached!.hashes);
      seq.numComputedTokens = numComputed;
      seq.numCachedTokens = numComputed;
    }
    for (let i = 0; i < numNeeded; i++) {
      const b = this.head;
      this.unlink(b);
      this.evict(b);
      this.refCounts[b] = 1;
      seq.blockTable.push(b);
    }
    return true;
  }

  /** Registers the sequence's newly completed full blocks in the prefix cache (call after a step). */
  commitComputed(seq: Sequence): void {
    const bs = this.blockSize;
    const numFull = Math.floor(seq.numComputedTokens / bs);
    for (let i = seq.blockHashes.length; i < numFull; i++) {
      const parent = i === 0 ? ROOT_BLOCK_HASH : seq.blockHashes[i - 1]!;
      const h = this.hash(parent, seq.tokenIds, i * bs, (i + 1) * bs);
      seq.blockHashes.push(h);
      if (!this.enablePrefixCaching || this.hashToBlock.has(h)) continue;
      const b = seq.blockTable[i]!;
      if (!Number.isNaN(this.blockHash[b]!)) continue;
      this.hashToBlock.set(h, b);
      this.blockHash[b] = h;
      this.blockParent[b] = parent;
      this.blockTokens[b] = seq.tokenIds.slice(i * bs, (i + 1) * bs);
    }
  }

  /** Releases every block of the sequence; cached blocks stay reusable until evicted. */
  free(seq: Sequence): void {
    for (let i = seq.blockTable.length - 1; i >= 0; i--) {
      const b = seq.blockTable[i]!;
      const rc = --this.refCounts[b]!;
      if (rc < 0) throw new EngineError('DTE_ERR_ENGINE_INTERNAL', `BlockManager.free: block ${b} released twice`);
      if (rc === 0) {
        // Uncached blocks are worthless: reuse them first. Cached ones go to the LRU tail,
        // a sequence's last block nearer the head (it is the least likely to be shared).
        if (Number.isNaN(this.blockHash[b]!)) this.pushHead(b);
        else this.pushTail(b);
      }
    }
    seq.blockTable = [];
    seq.blockHashes = [];
    seq.numComputedTokens = 0;
  }

  /**
   * Shares the parent's computed full blocks that lie inside `numSharedTokens` with the child
   * (reference counts up, no copy); the child recomputes only its partial tail block.
   */
  fork(parent: Sequence, child: Sequence, numSharedTokens: number): void {
    const k = Math.floor(Math.min(numSharedTokens, parent.numComputedTokens) / this.blockSize);
    this.commitComputed(parent);
    for (let i = 0; i < k; i++) {
      const b = parent.blockTable[i]!;
      this.refCounts[b]!++;
      child.blockTable.push(b);
      child.blockHashes.push(parent.blockHashes[i]!);
    }
    child.numComputedTokens = k * this.blockSize;
    child.numCachedTokens = child.numComputedTokens;
  }

  /** Drops every evictable cached block from the prefix cache (e.g. after weights change). */
  resetPrefixCache(): void {
    for (let b = this.head; b !== NONE; b = this.next[b]!) this.evict(b);
  }

  private sameContent(b: number, parent: number, tokens: readonly number[], start: number): boolean {
    const own = this.blockTokens[b];
    if (own === undefined || this.blockParent[b] !== parent) return false;
    for (let j = 0; j < own.length; j++) if (own[j] !== tokens[start + j]) return false;
    return true;
  }

  private evict(b: number): void {
    const h = this.blockHash[b]!;
    if (Number.isNaN(h)) return;
    if (this.hashToBlock.get(h) === b) this.hashToBlock.delete(h);
    this.blockHash[b] = Number.NaN;
    this.blockTokens[b] = undefined;
  }

  private pushTail(b: number): void {
    this.prev[b] = this.tail;
    this.next[b] = NONE;
    if (this.tail === NONE) this.head = b;
    else this.next[this.tail] = b;
    this.tail = b;
    this.freeCount++;
  }

  private pushHead(b: number): void {
    this.next[b] = this.head;
    this.prev[b] = NONE;
    if (this.head === NONE) this.tail = b;
    else this.prev[this.head] = b;
    this.head = b;
    this.freeCount++;
  }

  private unlink(b: number): void {
    const p = this.prev[b]!;
    const n = this.next[b]!;
    if (p === NONE) this.head = n;
    else this.next[p] = n;
    if (n === NONE) this.tail = p;
    else this.prev[n] = p;
    this.prev[b] = NONE;
    this.next[b] = NONE;
    this.freeCount--;
  }
}
