import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../EngineError.ts';
import { type GenerationDelta, LlmEngine } from './LlmEngine.ts';
import { FakeExecutor, FakeTokenizer, fakeGreedy } from './testing/fakeModel.ts';

const tok = new FakeTokenizer();
const STATS = { hits: 0, preempt: 0, runs: 0 };
const V = tok.vocabSize;

const configArb = fc.record({
  numBlocks: fc.integer({ min: 3, max: 24 }),
  blockSize: fc.constantFrom(1, 2, 4, 8),
  maxNumSeqs: fc.integer({ min: 1, max: 8 }),
  maxNumBatchedTokens: fc.integer({ min: 1, max: 64 }),
  policy: fc.constantFrom('fcfs' as const, 'priority' as const),
  enablePrefixCaching: fc.boolean(),
  maxModelLen: fc.constantFrom(undefined, 4096),
});

const bases = [
  [0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21],
  [0, 30, 31, 32, 33],
  [0, 2],
];

const opArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      base: fc.integer({ min: 0, max: bases.length - 1 }),
      suffix: fc.array(fc.integer({ min: 2, max: 4 }), { maxLength: 10 }),
      maxTokens: fc.integer({ min: 1, max: 24 }),
      greedy: fc.boolean(),
      n: fc.integer({ min: 1, max: 3 }),
      priority: fc.integer({ min: 0, max: 5 }),
      owner: fc.constantFrom('a', 'b', 'c'),
      seed: fc.integer({ min: 0, max: 1000 }),
    }),
  },
  fc.record({ kind: fc.constant('abort' as const), which: fc.nat() }),
  fc.record({
    kind: fc.constant('prio' as const),
    owner: fc.constantFrom('a', 'b', 'c'),
    priority: fc.integer({ min: 0, max: 9 }),
  }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('step' as const), times: fc.integer({ min: 1, max: 4 }) }) },
);

/** Checks the block bookkeeping against the live sequences. */
function checkBlocks(engine: LlmEngine): void {
  const bm = engine.blocks;
  const counts = new Map<number, number>();
  for (const seq of engine.scheduler.running) {
    expect(seq.blockTable.length * bm.blockSize).toBeGreaterThanOrEqual(seq.numComputedTokens);
    for (const b of seq.blockTable) counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  for (const seq of engine.scheduler.waiting) expect(seq.blockTable).toEqual([]);
  let used = 0;
  for (let b = 0; b < bm.numBlocks; b++) {
    expect(bm.refCount(b)).toBe(counts.get(b) ?? 0);
    if (bm.refCount(b) > 0) used++;
  }
  expect(bm.numFreeBlocks).toBe(bm.numBlocks - used);
}

describe('LlmEngine (property: scheduler + block manager with a paged fake model)', () => {
  it('never leaks blocks or exceeds budgets; every request finishes or is aborted; greedy output is exact', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, fc.array(opArb, { minLength: 1, maxLength: 60 }), async (cfg, ops) => {
        const executor = new FakeExecutor(V, cfg.numBlocks, cfg.blockSize);
        executor.keepBatches = true;
        const engine = new LlmEngine({ ...cfg, executor, tokenizer: tok, agingPerStep: 0.5 });
        const added: Array<{ id: string; prompt: number[]; maxTokens: number; greedy: boolean; n: number }> = [];
        const deltas = new Map<string, GenerationDelta[]>();
        const collect = (ds: GenerationDelta[]): void => {
          for (const d of ds) {
            const list = deltas.get(d.requestId) ?? [];
            list.push(d);
            deltas.set(d.requestId, list);
          }
        };
        const step = async (): Promise<void> => {
          const before = executor.batches.length;
          collect(await engine.step());
          for (const b of executor.batches.slice(before)) {
            expect(b.tokens.length).toBeLessThanOrEqual(cfg.maxNumBatchedTokens);
            expect(b.seqStarts.length - 1).toBeLessThanOrEqual(cfg.maxNumSeqs);
          }
          expect(engine.scheduler.numSeqSlotsUsed).toBeLessThanOrEqual(cfg.maxNumSeqs);
          checkBlocks(engine);
        };
        for (const op of ops) {
          if (op.kind === 'add') {
            const prompt = [...bases[op.base]!, ...op.suffix];
            try {
              const id = engine.addRequest({
                promptTokenIds: prompt,
                sampling: { maxTokens: op.maxTokens, temperature: op.greedy ? 0 : 1, n: op.n, seed: op.seed },
                priority: op.priority,
                owner: op.owner,
              });
              added.push({ id, prompt, maxTokens: op.maxTokens, greedy: op.greedy, n: op.n });
            } catch (e) {
              expect(e).toBeInstanceOf(EngineError);
              expect(['DTE_ERR_ENGINE_PROMPT_TOO_LONG', 'DTE_ERR_ENGINE_BAD_REQUEST']).toContain(
                (e as EngineError).code,
              );
            }
          } else if (op.kind === 'abort') {
            if (added.length > 0) engine.abort(added[op.which % added.length]!.id);
          } else if (op.kind === 'prio') {
            engine.setPriority(op.owner, op.priority);
          } else {
            for (let i = 0; i < op.times; i++) await step();
          }
        }
        let guard = 0;
        while (engine.hasUnfinished()) {
          await step();
          if (++guard > 5000) throw new Error('engine did not drain (deadlock)');
        }
        const m = engine.metrics();
        STATS.hits += m.numPrefixHitTokens > 0 ? 1 : 0;
        STATS.preempt += m.numPreemptions > 0 ? 1 : 0;
        STATS.runs++;
        for (let b = 0; b < engine.blocks.numBlocks; b++) expect(engine.blocks.refCount(b)).toBe(0);
        expect(engine.blocks.numFreeBlocks).toBe(cfg.numBlocks);
        for (const req of added) {
          const ds = deltas.get(req.id) ?? [];
          for (let i = 0; i < req.n; i++) {
            const mine = ds.filter((d) => d.index === i);
            const finals = mine.filter((d) => d.finishReason !== null);
            expect(finals.length).toBe(1);
            expect(mine[mine.length - 1]!.finishReason).not.toBeNull();
            const reason = finals[0]!.finishReason;
            const tokens = mine.flatMap((d) => d.tokenIds);
            if (reason !== 'abort') {
              if (req.greedy) {
                const ref = fakeGreedy(req.prompt, req.maxTokens, V);
                // 'length' may also come from the KV capacity; the tokens must still be a prefix.
                expect(tokens).toEqual(ref.slice(0, tokens.length));
                if (reason === 'stop') expect(tokens).toEqual(ref);
              }
              expect(tokens.length).toBeLessThanOrEqual(req.maxTokens);
            }
          }
        }
      }),
      { numRuns: 200, seed: 20261124 },
    );
    // The generator must actually exercise the prefix cache and preemption.
    expect(STATS.hits).toBeGreaterThan(20);
    expect(STATS.preempt).toBeGreaterThan(20);
  });
});
