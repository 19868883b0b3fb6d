import { EngineError } from '../EngineError.ts';
import type { BlockManager } from './BlockManager.ts';
import type { Sequence } from './Sequence.ts';

/** Order in which waiting sequences are admitted and running ones are kept. */
export type SchedulingPolicy = 'fcfs' | 'priority';

/** Options of a {@link Scheduler}. */
export interface SchedulerOptions {
  /** Most sequences running at once. Default 64. */
  maxNumSeqs?: number;
  /** Token budget of one step, shared by decodes and prefill chunks. Default 512. */
  maxNumBatchedTokens?: number;
  /** Default 'fcfs'. */
  policy?: SchedulingPolicy;
  /** Priority a waiting sequence gains per step waited (`priority` policy), so nothing starves. Default 0.01. */
  agingPerStep?: number;
}

/** What one step runs, and what scheduling did to other sequences. */
export interface SchedulerOutput {
  /** Sequences to run, each with `numScheduledTokens` set (decodes first). */
  scheduled: Sequence[];
  /** Sequences preempted (blocks freed, back in the waiting queue) during this step. */
  preempted: Sequence[];
  /** Sequences ended by the scheduler (finish reason set): they can never grow or never fit. */
  finished: Array<{ seq: Sequence; error?: EngineError }>;
  numBatchedTokens: number;
}

/**
 * Continuous-batching scheduler: each step fills a token budget with running decodes first, then
 * running prefill chunks, then new admissions (chunked prefill, so a long prompt never stalls decodes).
 * Running out of KV blocks preempts (by recompute) the lowest-priority, then newest, running sequence.
 */
export class Scheduler {
  readonly maxNumSeqs: number;
  readonly maxNumBatchedTokens: number;
  readonly policy: SchedulingPolicy;
  readonly agingPerStep: number;
  readonly waiting: Sequence[] = [];
  readonly running: Sequence[] = [];
  /** Steps scheduled so far (the aging clock). */
  stepCount = 0;
  numPreemptions = 0;
  private readonly blocks: BlockManager;

  constructor(blocks: BlockManager, options: SchedulerOptions = {}) {
    const { maxNumSeqs = 64, maxNumBatchedTokens = 512, policy = 'fcfs', agingPerStep = 0.01 } = options;
    if (!Number.isInteger(maxNumSeqs) || maxNumSeqs < 1) throw badConfig('maxNumSeqs must be a positive integer');
    if (!Number.isInteger(maxNumBatchedTokens) || maxNumBatchedTokens < 1) {
      throw badConfig('maxNumBatchedTokens must be a positive integer');
    }
    if (policy !== 'fcfs' && policy !== 'priority') throw badConfig(`unknown policy ${String(policy)}`);
    if (!(agingPerStep >= 0 && Number.isFinite(agingPerStep))) throw badConfig('agingPerStep must be >= 0');
    this.blocks = blocks;
    this.maxNumSeqs = maxNumSeqs;
    this.maxNumBatchedTokens = maxNumBatchedTokens;
    this.policy = policy;
    this.agingPerStep = agingPerStep;
  }

  /** Queues a sequence. Throws `DTE_ERR_ENGINE_PROMPT_TOO_LONG` when it could never fit in the KV cache. */
  add(seq: Sequence): void {
    if (this.blocks.blocksFor(seq.numTokens) > this.blocks.numBlocks) {
      throw new EngineError(
        'DTE_ERR_ENGINE_PROMPT_TOO_LONG',
        `Scheduler.add: ${seq.numTokens} tokens need more than the ${this.blocks.numBlocks} KV blocks of ${this.blocks.blockSize}`,
      );
    }
    seq.status = 'waiting';
    seq.waitingSinceStep = this.stepCount;
    this.waiting.push(seq);
  }

  /** Puts an already computing sequence (a forked sample) straight into the running set. */
  addRunning(seq: Sequence): void {
    seq.status = 'running';
    this.running.push(seq);
  }

  get hasUnfinished(): boolean {
    return this.waiting.length > 0 || this.running.length > 0;
  }

  /** Running plus reserved sequence slots. */
  get numSeqSlotsUsed(): number {
    let n = this.running.length;
    for (const s of this.running) n += s.numPendingForks;
    return n;
  }

  /** Effective priority: base priority plus aging (while waiting; frozen at admission while running). */
  effectivePriority(seq: Sequence): number {
    if (seq.status !== 'waiting') return seq.priority + seq.agingBonus;
    return seq.priority + this.agingPerStep * (this.stepCount - seq.waitingSinceStep);
  }

  /** Changes the priority of every waiting and running sequence of an owner; returns how many. */
  setPriority(ownerKey: string, priority: number): number {
    let n = 0;
    for (const list of [this.waiting, this.running]) {
      for (const seq of list) {
        if (seq.ownerKey === ownerKey) {
          seq.priority = priority;
          n++;
        }
      }
    }
    return n;
  }

  /** Removes a sequence from the queues and frees its blocks. */
  finish(seq: Sequence, reason: NonNullable<Sequence['finishReason']>): void {
    removeFrom(this.waiting, seq);
    removeFrom(this.running, seq);
    this.blocks.free(seq);
    seq.status = 'finished';
    seq.finishReason ??= reason;
    seq.numScheduledTokens = 0;
  }

  /** Plans one step. */
  schedule(): SchedulerOutput {
    this.stepCount++;
    const out: SchedulerOutput = { scheduled: [], preempted: [], finished: [], numBatchedTokens: 0 };
    let budget = this.maxNumBatchedTokens;
    for (const s of this.running) s.numScheduledTokens = 0;

    // Running sequences: decodes first so a prefill chunk never starves them, then by rank.
    const order = [...this.running].sort((a, b) => {
      const da = a.numUncomputedTokens === 1 ? 0 : 1;
      const db = b.numUncomputedTokens === 1 ? 0 : 1;
      return da - db || this.compareRank(a, b);
    });
    for (const seq of order) {
      if (budget <= 0) break;
      if (seq.status !== 'running') continue; // preempted as a victim earlier in this loop
      const num = Math.min(seq.numUncomputedTokens, budget);
      let ok = this.blocks.allocate(seq, num);
      while (!ok) {
        const victim = this.lowestRunning();
        if (victim === seq) break;
        budget += victim.numScheduledTokens;
        removeFrom(out.scheduled, victim);
        this.preempt(victim, out);
        ok = this.blocks.allocate(seq, num);
      }
      if (!ok) {
        if (this.running.length === 1) {
          // Alone and still out of blocks: it can never grow further.
          this.finish(seq, 'length');
          out.finished.push({ seq });
        } else {
          this.preempt(seq, out);
        }
        continue;
      }
      seq.numScheduledTokens = num;
      budget -= num;
      out.scheduled.push(seq);
    }

    // Admissions (none after a preemption: the cache is under pressure).
    if (out.preempted.length === 0) budget = this.admit(budget, out);
    out.numBatchedTokens = this.maxNumBatchedTokens - budget;
    return out;
  }

  private admit(budget: number, out: SchedulerOutput): number {
    this.waiting.sort((a, b) => this.compareRank(a, b));
    while (budget > 0 && this.waiting.length > 0) {
      const seq = this.waiting[0]!;
      const slots = 1 + seq.numPendingForks;
      if (this.numSeqSlotsUsed + slots > this.maxNumSeqs && !this.preemptFor(seq, slots, out)) break;
      const cached = this.blocks.findCachedPrefix(seq);
      const numNew = Math.min(seq.numTokens - cached.blocks.length * this.blocks.blockSize, budget);
      let ok = this.blocks.allocate(seq, numNew, cached);
      while (!ok && this.preemptFor(seq, 0, out)) ok = this.blocks.allocate(seq, numNew, cached);
      if (!ok) {
        if (this.running.length === 0 && out.scheduled.length === 0) {
          // Nothing holds blocks: waiting cannot help. Only a prompt/cache mismatch lands here.
          this.waiting.shift();
          this.finish(seq, 'abort');
          out.finished.push({
            seq,
            error: new EngineError('DTE_ERR_ENGINE_KV_EXHAUSTED', 'Scheduler.schedule: sequence can never fit'),
          });
          continue;
        }
        break;
      }
      this.waiting.shift();
      seq.agingBonus = this.agingPerStep * (this.stepCount - seq.waitingSinceStep);
      seq.status = 'running';
      seq.numScheduledTokens = numNew;
      this.running.push(seq);
      out.scheduled.push(seq);
      budget -= numNew;
    }
    return budget;
  }

  /**
   * `priority` policy only: preempts the lowest-ranked running sequence when its priority is below `seq`'s
   * (to free a seq slot, or blocks when `slots` is 0). Returns whether it preempted.
   */
  private preemptFor(seq: Sequence, slots: number, out: SchedulerOutput): boolean {
    if (this.policy !== 'priority' || this.running.length === 0) return false;
    const victim = this.lowestRunning();
    // The newcomer's base priority only: aging orders the waiting queue but must not make equals
    // evict each other (that would thrash, each preemption throwing away the victim's progress).
    if (this.effectivePriority(victim) >= seq.priority) return false;
    removeFrom(out.scheduled, victim);
    this.preempt(victim, out);
    return slots === 0 || this.numSeqSlotsUsed + slots <= this.maxNumSeqs || this.preemptFor(seq, slots, out);
  }

  /** Preempts every running sequence (by recompute: blocks freed, back in the queue); returns them. */
  preemptAll(): Sequence[] {
    const out: SchedulerOutput = { scheduled: [], preempted: [], finished: [], numBatchedTokens: 0 };
    for (const seq of [...this.running]) this.preempt(seq, out);
    return out.preempted;
  }

  private preempt(seq: Sequence, out: SchedulerOutput): void {
    removeFrom(this.running, seq);
    this.blocks.free(seq);
    seq.numScheduledTokens = 0;
    seq.numPreemptions++;
    seq.agingBonus = 0;
    this.numPreemptions++;
    seq.status = 'waiting';
    seq.waitingSinceStep = this.stepCount;
    this.waiting.push(seq);
    out.preempted.push(seq);
  }

  /** The running sequence to preempt first: lowest priority, then newest. */
  private lowestRunning(): Sequence {
    let worst = this.running[0]!;
    for (const s of this.running) if (this.compareRank(s, worst) > 0) worst = s;
    return worst;
  }

  /** Negative when `a` ranks before `b` (served first). */
  private compareRank(a: Sequence, b: Sequence): number {
    if (this.policy === 'priority') {
      const d = this.effectivePriority(b) - this.effectivePriority(a);
      if (d !== 0) return d;
    }
    return a.arrivalOrder - b.arrivalOrder;
  }
}

function removeFrom(list: Sequence[], seq: Sequence): void {
  const i = list.indexOf(seq);
  if (i >= 0) list.splice(i, 1);
}

function badConfig(why: string): EngineError {
  return new EngineError('DTE_ERR_ENGINE_BAD_CONFIG', `Scheduler: ${why}`);
}
