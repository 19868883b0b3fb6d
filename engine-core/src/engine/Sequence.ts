import type { SamplingParams } from './SamplingParams.ts';
import { SeededRng } from './SeededRng.ts';

/** Lifecycle of a {@link Sequence}: queued, holding KV blocks, or done. */
export type SequenceStatus = 'waiting' | 'running' | 'finished';

/** Why a sequence stopped: a stop condition, a length limit, or an abort. */
export type FinishReason = 'stop' | 'length' | 'abort';

/** Options of a new {@link Sequence}. */
export interface SequenceInit {
  seqId: number;
  requestId: string;
  sampleIndex: number;
  promptTokenIds: readonly number[];
  params: SamplingParams;
  /** Seed of this sample's PRNG stream (the request seed; the sample index picks the stream). */
  seed: number;
  priority: number;
  ownerKey: string | undefined;
  /** Monotonic admission order (FCFS tie-break); kept across preemptions. */
  arrivalOrder: number;
  /** Engine step at which it entered the waiting queue (for aging). */
  step: number;
}

/**
 * One sampled stream of a request (nano-vLLM's Sequence): its tokens, how many have KV in the cache,
 * its block table, sampling state and scheduling attributes.
 */
export class Sequence {
  readonly seqId: number;
  readonly requestId: string;
  readonly sampleIndex: number;
  readonly tokenIds: number[];
  readonly numPromptTokens: number;
  readonly params: SamplingParams;
  readonly rng: SeededRng;
  readonly ownerKey: string | undefined;
  readonly arrivalOrder: number;
  status: SequenceStatus = 'waiting';
  priority: number;
  /** Tokens whose K/V are in the cache (prefix-cache hits included). */
  numComputedTokens = 0;
  /** Tokens served from the prefix cache at the last admission. */
  numCachedTokens = 0;
  /** Physical KV block ids, in order. */
  blockTable: number[] = [];
  /** Chain hash of each full block whose K/V is computed (prefix-cache keys). */
  blockHashes: number[] = [];
  /** Priority gained by aging before admission; kept while running so newcomers do not evict it at once. */
  agingBonus = 0;
  /** Step at which it last entered the waiting queue (aging baseline). */
  waitingSinceStep: number;
  /** Tokens scheduled in the current step (set by the scheduler). */
  numScheduledTokens = 0;
  /** Count of each generated token (presence/frequency penalties). */
  readonly outputCounts = new Map<number, number>();
  finishReason: FinishReason | undefined;
  /** Sibling samples still to fork from this one once its prompt is computed (they reserve seq slots). */
  numPendingForks = 0;
  /** Times this sequence was preempted. */
  numPreemptions = 0;
  /** State of `params.constraint` after the tokens generated so far. */
  constraintState: unknown;

  constructor(init: SequenceInit) {
    this.seqId = init.seqId;
    this.requestId = init.requestId;
    this.sampleIndex = init.sampleIndex;
    this.tokenIds = [...init.promptTokenIds];
    this.numPromptTokens = init.promptTokenIds.length;
    this.params = init.params;
    this.rng = new SeededRng(init.seed, init.sampleIndex);
    this.priority = init.priority;
    this.ownerKey = init.ownerKey;
    this.arrivalOrder = init.arrivalOrder;
    this.waitingSinceStep = init.step;
    this.constraintState = init.params.constraint?.initialState();
  }

  /** Prompt plus generated tokens. */
  get numTokens(): number {
    return this.tokenIds.length;
  }

  get numOutputTokens(): number {
    return this.tokenIds.length - this.numPromptTokens;
  }

  get lastTokenId(): number {
    return this.tokenIds[this.tokenIds.length - 1]!;
  }

  get isFinished(): boolean {
    return this.status === 'finished';
  }

  /** Tokens still to run through the model before the next sample. */
  get numUncomputedTokens(): number {
    return this.tokenIds.length - this.numComputedTokens;
  }

  /** Appends a sampled token. */
  appendToken(tokenId: number): void {
    this.tokenIds.push(tokenId);
    this.outputCounts.set(tokenId, (this.outputCounts.get(tokenId) ?? 0) + 1);
    const c = this.params.constraint;
    if (c !== undefined) this.constraintState = c.advance(this.constraintState, tokenId);
  }
}
