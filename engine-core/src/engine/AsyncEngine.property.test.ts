import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsyncEngine } from './AsyncEngine.ts';
import { LlmEngine } from './LlmEngine.ts';
import { FakeExecutor, FakeTokenizer } from './testing/fakeModel.ts';

const tok = new FakeTokenizer();

describe('AsyncEngine (property: concurrent streams with aborts and live priority changes)', () => {
  it('every stream ends exactly once, aborted ones with abort, and the KV cache drains', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          numBlocks: fc.integer({ min: 4, max: 24 }),
          maxNumSeqs: fc.integer({ min: 1, max: 6 }),
          maxNumBatchedTokens: fc.integer({ min: 2, max: 32 }),
          policy: fc.constantFrom('fcfs' as const, 'priority' as const),
        }),
        fc.array(
          fc.record({
            prompt: fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' '), minLength: 1, maxLength: 30 }),
            maxTokens: fc.integer({ min: 1, max: 20 }),
            n: fc.integer({ min: 1, max: 2 }),
            abortAfter: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
            owner: fc.constantFrom('x', 'y'),
            bumpAfter: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        async (cfg, reqs) => {
          const eng = new AsyncEngine(
            new LlmEngine({
              ...cfg,
              executor: new FakeExecutor(tok.vocabSize, cfg.numBlocks, 4),
              tokenizer: tok,
              blockSize: 4,
            }),
          );
          const runs = reqs.map(async (r) => {
            const ac = new AbortController();
            let seen = 0;
            const finals: string[] = [];
            let it: AsyncIterableIterator<unknown>;
            try {
              it = eng.generate({
                prompt: r.prompt,
                sampling: { maxTokens: r.maxTokens, n: r.n },
                owner: r.owner,
                signal: ac.signal,
              });
            } catch (e) {
              return { finals: [(e as { code: string }).code], aborted: false, n: r.n };
            }
            for await (const d of it as AsyncIterable<{ finishReason: string | null }>) {
              if (r.abortAfter !== undefined && seen === r.abortAfter) ac.abort();
              if (r.bumpAfter !== undefined && seen === r.bumpAfter) eng.setPriority(r.owner, seen);
              seen++;
              if (d.finishReason !== null) finals.push(d.finishReason);
            }
            return { finals, aborted: ac.signal.aborted, n: r.n };
          });
          const results = await Promise.all(runs);
          for (const res of results) {
            if (res.finals[0]?.startsWith('DTE_ERR_')) {
              expect(['DTE_ERR_ENGINE_PROMPT_TOO_LONG', 'DTE_ERR_ENGINE_BAD_REQUEST']).toContain(res.finals[0]);
              continue;
            }
            expect(res.finals.length).toBe(res.n);
            if (!res.aborted) for (const f of res.finals) expect(['stop', 'length']).toContain(f);
          }
          expect(eng.numRequests).toBe(0);
          expect(eng.metrics().numFreeBlocks).toBe(cfg.numBlocks);
          await eng.close();
        },
      ),
      { numRuns: 60, seed: 424242 },
    );
  });
});
