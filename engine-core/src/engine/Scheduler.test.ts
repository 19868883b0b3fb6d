import { describe, expect, it } from 'vitest';
import { EngineError } from '../EngineError.ts';
import { BlockManager } from './BlockManager.ts';
import { resolveSamplingParams } from './SamplingParams.ts';
import { Scheduler, type SchedulerOptions } from './Scheduler.ts';
import { Sequence } from './Sequence.ts';

let nextId = 0;
function seq(numTokens: number, priority = 0, owner?: string): Sequence {
  const id = nextId++;
  return new Sequence({
    seqId: id,
    requestId: `r${id}`,
    sampleIndex: 0,
    promptTokenIds: Array.from({ length: numTokens }, (_, i) => (i * 7 + id) % 50),
    params: resolveSamplingParams({}, 64),
    seed: 0,
    priority,
    ownerKey: owner,
    arrivalOrder: id,
    step: 0,
  });
}

/** Simulates the engine's postprocess: computed tokens advance; a finished prefill samples a token. */
function advance(s: Scheduler, bm: BlockManager, out: ReturnType<Scheduler['schedule']>): void {
  for (const q of out.scheduled) {
    q.numComputedTokens += q.numScheduledTokens;
    bm.commitComputed(q);
    if (q.numComputedTokens === q.numTokens) q.appendToken(3);
  }
  void s;
}

function make(numBlocks: number, opts: SchedulerOptions = {}, blockSize = 4) {
  const bm = new BlockManager({ numBlocks, blockSize });
  return { bm, s: new Scheduler(bm, opts) };
}

describe('Scheduler', () => {
  it('chunks a long prompt so running decodes keep their slot every step', () => {
    const { bm, s } = make(100, { maxNumBatchedTokens: 8 });
    const a = seq(3);
    s.add(a);
    advance(s, bm, s.schedule()); // a prefilled, now decoding
    const long = seq(60);
    s.add(long);
    for (let step = 0; step < 10; step++) {
      const out = s.schedule();
      expect(out.scheduled[0]).toBe(a);
      expect(a.numScheduledTokens).toBe(1);
      expect(out.numBatchedTokens).toBeLessThanOrEqual(8);
      if (step < 8) expect(long.numScheduledTokens).toBe(7);
      advance(s, bm, out);
    }
    expect(long.numComputedTokens).toBeGreaterThanOrEqual(60);
    expect(long.numOutputTokens).toBeGreaterThanOrEqual(1);
  });

  it('rejects a prompt that can never fit with a typed error', () => {
    const { s } = make(4);
    let code: string | undefined;
    try {
      s.add(seq(17));
    } catch (e) {
      code = (e as EngineError).code;
    }
    expect(code).toBe('DTE_ERR_ENGINE_PROMPT_TOO_LONG');
  });

  it('priority policy admits higher priority first, FCFS among equals; fcfs ignores priority', () => {
    for (const policy of ['priority', 'fcfs'] as const) {
      const { s } = make(100, { maxNumSeqs: 1, policy });
      const lo = seq(2, 0);
      const hi = seq(2, 5);
      const hi2 = seq(2, 5);
      s.add(lo);
      s.add(hi);
      s.add(hi2);
      expect(s.schedule().scheduled).toEqual([policy === 'priority' ? hi : lo]);
    }
  });

  it('aging lets a long-waiting low-priority sequence overtake newcomers', () => {
    const { s } = make(100, { maxNumSeqs: 1, policy: 'priority', agingPerStep: 1 });
    const lo = seq(1, 0);
    s.add(lo);
    s.stepCount = 10; // lo has waited 10 steps
    s.add(seq(1, 5));
    expect(s.effectivePriority(lo)).toBe(10);
    expect(s.schedule().scheduled).toEqual([lo]);
  });

  it('preempts the lowest-priority running sequence when blocks run out, and a waiting higher priority one evicts it', () => {
    const { bm, s } = make(3, { policy: 'priority', maxNumBatchedTokens: 64 });
    const lo = seq(8, 0);
    s.add(lo);
    advance(s, bm, s.schedule());
    expect(bm.numFreeBlocks).toBe(1); // lo's 8 prompt tokens hold 2 blocks of 4
    const hi = seq(8, 3);
    s.add(hi);
    const out = s.schedule();
    expect(out.preempted).toEqual([lo]);
    expect(out.scheduled).toEqual([hi]);
    expect(lo.status).toBe('waiting');
    expect(lo.blockTable).toEqual([]);
    expect(s.numPreemptions).toBe(1);
  });

  it('setPriority changes queued and running sequences of one owner', () => {
    const { s } = make(100, { maxNumSeqs: 1, policy: 'priority' });
    const a = seq(2, 0, 'agent-a');
    const b = seq(2, 0, 'agent-b');
    s.add(a);
    s.add(b);
    s.schedule();
    expect(s.setPriority('agent-b', 9)).toBe(1);
    expect(b.priority).toBe(9);
    expect(s.setPriority('agent-a', 2)).toBe(1);
    expect(a.priority).toBe(2);
  });

  it('rejects bad options with DTE_ERR_ENGINE_BAD_CONFIG', () => {
    const bm = new BlockManager({ numBlocks: 4 });
    for (const o of [
      { maxNumSeqs: 0 },
      { maxNumBatchedTokens: 0.5 },
      { policy: 'lifo' as never },
      { agingPerStep: -1 },
    ]) {
      expect(() => new Scheduler(bm, o)).toThrow(EngineError);
    }
  });
});
