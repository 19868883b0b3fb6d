import { describe, expect, it } from 'vitest';
import { EngineError } from '../EngineError.ts';
import type { ForwardBatch } from '../model/LlamaTypes.ts';
import { AsyncEngine } from './AsyncEngine.ts';
import { LlmEngine } from './LlmEngine.ts';
import { FakeExecutor, FakeTokenizer, fakeGreedy } from './testing/fakeModel.ts';

const tok = new FakeTokenizer();

function make(numBlocks = 32, executor = new FakeExecutor(tok.vocabSize, numBlocks, 4)) {
  const engine = new LlmEngine({ executor, tokenizer: tok, numBlocks, blockSize: 4, maxNumSeqs: 8 });
  return { async: new AsyncEngine(engine), executor };
}

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e instanceof EngineError ? e.code : `other: ${String(e)}`;
  }
  return undefined;
}

describe('AsyncEngine', () => {
  it('streams concurrent requests to completion with exact greedy tokens and usage', async () => {
    const { async: eng } = make();
    const prompts = ['hello world', 'abc', 'the quick brown fox'];
    const results = await Promise.all(
      prompts.map((p) => eng.collect({ prompt: p, sampling: { temperature: 0, maxTokens: 12, ignoreEos: true } })),
    );
    results.forEach((ds, i) => {
      const tokens = ds.flatMap((d) => d.tokenIds);
      expect(tokens).toEqual(fakeGreedy(tok.encode(prompts[i]!), 12, tok.vocabSize, false));
      expect(ds.map((d) => d.text).join('')).toBe(tok.decode(tokens));
      const last = ds[ds.length - 1]!;
      expect(last.finishReason).toBe('length');
      expect(last.usage).toEqual({
        promptTokens: prompts[i]!.length + 1,
        completionTokens: 12,
        totalTokens: prompts[i]!.length + 13,
      });
    });
    expect(eng.metrics().kvUsage).toBe(0);
    expect(eng.metrics().numGeneratedTokens).toBe(36);
  });

  it('an AbortSignal stops the stream with finish_reason abort and frees the blocks', async () => {
    const { async: eng } = make();
    const ac = new AbortController();
    const seen: string[] = [];
    let n = 0;
    for await (const d of eng.generate({
      prompt: 'abc',
      sampling: { maxTokens: 1000, ignoreEos: true },
      signal: ac.signal,
    })) {
      if (++n === 3) ac.abort();
      if (d.finishReason) seen.push(d.finishReason);
    }
    expect(seen).toEqual(['abort']);
    expect(n).toBeLessThan(10);
    expect(eng.metrics().numFreeBlocks).toBe(32);
    expect(eng.numRequests).toBe(0);
  });

  it('leaving the loop early aborts the request', async () => {
    const { async: eng } = make();
    for await (const d of eng.generate({ prompt: 'abc', sampling: { maxTokens: 1000, ignoreEos: true } })) {
      expect(d.tokenIds.length).toBe(1);
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
    expect(eng.numRequests).toBe(0);
    expect(eng.metrics().numFreeBlocks).toBe(32);
  });

  it('n > 1 streams every sample; the stream ends after the last one', async () => {
    const { async: eng } = make();
    const ds = await eng.collect({ prompt: 'abcdefghij', sampling: { n: 3, maxTokens: 5, seed: 9, ignoreEos: true } });
    for (let i = 0; i < 3; i++) {
      const mine = ds.filter((d) => d.index === i);
      expect(mine.flatMap((d) => d.tokenIds).length).toBe(5);
      expect(mine[mine.length - 1]!.finishReason).toBe('length');
    }
  });

  it('embed returns L2-normalised vectors and keeps the loop free for generation', async () => {
    const { async: eng } = make();
    const [gen, emb] = await Promise.all([
      eng.collect({ prompt: 'abc', sampling: { maxTokens: 4 } }),
      eng.embed(['hello', [0, 5, 6]]),
    ]);
    expect(gen.length).toBeGreaterThan(0);
    expect(emb.length).toBe(2);
    for (const v of emb) expect(v.reduce((s, x) => s + x * x, 0)).toBeCloseTo(1, 5);
  });

  it('typed errors: bad params, too long, duplicates, closed', async () => {
    const { async: eng } = make(4);
    expect(await codeOf(() => eng.generate({ prompt: 'a', sampling: { temperature: -1 } }))).toBe(
      'DTE_ERR_ENGINE_BAD_PARAMS',
    );
    expect(await codeOf(() => eng.generate({ prompt: 'a'.repeat(40) }))).toBe('DTE_ERR_ENGINE_PROMPT_TOO_LONG');
    expect(await codeOf(() => eng.generate({}))).toBe('DTE_ERR_ENGINE_BAD_REQUEST');
    expect(await codeOf(() => eng.generate({ promptTokenIds: [999] }))).toBe('DTE_ERR_ENGINE_BAD_REQUEST');
    const it1 = eng.generate({ requestId: 'dup', prompt: 'ab', sampling: { maxTokens: 3 } });
    expect(await codeOf(() => eng.generate({ requestId: 'dup', prompt: 'ab' }))).toBe(
      'DTE_ERR_ENGINE_DUPLICATE_REQUEST',
    );
    for await (const _ of it1) {
      // drain
    }
    await eng.close();
    expect(await codeOf(() => eng.generate({ prompt: 'ab' }))).toBe('DTE_ERR_ENGINE_CLOSED');
    expect(await codeOf(eng.embed(['x']))).toBe('DTE_ERR_ENGINE_CLOSED');
  });

  it('an executor failure ends the request with a typed error instead of hanging', async () => {
    const failing = new FakeExecutor(tok.vocabSize, 32, 4);
    failing.forward = async (_b: ForwardBatch) => {
      throw new Error('boom');
    };
    const { async: eng } = make(32, failing);
    const ds = await eng.collect({ prompt: 'abc' });
    expect(ds[ds.length - 1]!.finishReason).toBe('abort');
    expect(ds[ds.length - 1]!.error?.code).toBe('DTE_ERR_ENGINE_EXECUTOR_FAILED');
    expect(eng.metrics().numFreeBlocks).toBe(32);
  });

  it('the event loop stays free while the engine runs', async () => {
    // A forward that takes wall time off the JS thread (as the native model does).
    const slow = new FakeExecutor(tok.vocabSize, 32, 4);
    const inner = slow.forward.bind(slow);
    slow.forward = async (b: ForwardBatch) => {
      await new Promise((r) => setTimeout(r, 2));
      return inner(b);
    };
    const { async: eng } = make(32, slow);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    await eng.collect({ prompt: 'abc', sampling: { maxTokens: 60, ignoreEos: true } });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(20);
  });
});
