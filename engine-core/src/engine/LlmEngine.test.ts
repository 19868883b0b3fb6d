import { describe, expect, it } from 'vitest';
import type { ForwardBatch } from '../model/LlamaTypes.ts';
import { type GenerationDelta, LlmEngine, type LlmEngineOptions } from './LlmEngine.ts';
import { FAKE_EOS, FakeExecutor, FakeTokenizer } from './testing/fakeModel.ts';

const tok = new FakeTokenizer();
const V = tok.vocabSize;

/** An executor whose every row prefers `favourite` (then EOS, then id 2). */
class FixedExecutor extends FakeExecutor {
  favourite = FAKE_EOS;
  override forwardSync(batch: ForwardBatch): Float32Array {
    super.forwardSync(batch);
    const out = new Float32Array(batch.logitsIndices.length * V);
    for (let r = 0; r < batch.logitsIndices.length; r++) {
      out[r * V + this.favourite] = 10;
      out[r * V + FAKE_EOS] = Math.max(out[r * V + FAKE_EOS]!, 5);
      out[r * V + 2] = 4;
    }
    return out;
  }
}

async function run(opts: Partial<LlmEngineOptions>, sampling: object, favourite = FAKE_EOS, prompt = 'abc') {
  const executor = new FixedExecutor(V, 16, 4);
  executor.favourite = favourite;
  const engine = new LlmEngine({ executor, tokenizer: tok, numBlocks: 16, blockSize: 4, ...opts });
  engine.addRequest({ prompt, sampling: { temperature: 0, ...sampling } });
  const ds: GenerationDelta[] = [];
  while (engine.hasUnfinished()) ds.push(...(await engine.step()));
  return { ds, tokens: ds.flatMap((d) => d.tokenIds), last: ds[ds.length - 1]!, engine };
}

describe('LlmEngine stop rules', () => {
  it('stops at EOS (not in the text), or keeps going with ignoreEos', async () => {
    const a = await run({}, { maxTokens: 5 });
    expect(a.tokens).toEqual([FAKE_EOS]);
    expect(a.last.finishReason).toBe('stop');
    expect(a.last.text).toBe('');
    const b = await run({}, { maxTokens: 5, ignoreEos: true });
    expect(b.tokens).toEqual([FAKE_EOS, FAKE_EOS, FAKE_EOS, FAKE_EOS, FAKE_EOS]);
    expect(b.last.finishReason).toBe('length');
  });

  it('minTokens blocks EOS until reached', async () => {
    const r = await run({}, { maxTokens: 10, minTokens: 3 });
    expect(r.tokens).toEqual([2, 2, 2, FAKE_EOS]);
    expect(r.last.finishReason).toBe('stop');
  });

  it('stopTokenIds end the sequence', async () => {
    const r = await run({}, { maxTokens: 10, stopTokenIds: [7] }, 7);
    expect(r.tokens).toEqual([7]);
    expect(r.last.finishReason).toBe('stop');
  });

  it('maxModelLen ends a sequence with length', async () => {
    const r = await run({ maxModelLen: 8 }, { maxTokens: 100 }, 9, 'abc');
    expect(r.tokens.length).toBe(8 - 4);
    expect(r.last.finishReason).toBe('length');
    expect(r.engine.blocks.usage).toBe(0);
  });

  it('a step while one is in flight is refused with a typed error', async () => {
    const engine = new LlmEngine({ executor: new FakeExecutor(V, 8, 4), tokenizer: tok, numBlocks: 8, blockSize: 4 });
    engine.addRequest({ prompt: 'ab', sampling: { maxTokens: 2 } });
    const first = engine.step();
    await expect(engine.step()).rejects.toMatchObject({ code: 'DTE_ERR_ENGINE_BAD_CONFIG' });
    await first;
  });

  it('an executor that returns too few logits fails the request with a typed error', async () => {
    const short = new FakeExecutor(V, 8, 4);
    short.forward = async () => new Float32Array(3);
    const engine = new LlmEngine({ executor: short, tokenizer: tok, numBlocks: 8, blockSize: 4 });
    engine.addRequest({ prompt: 'ab' });
    const ds = await engine.step();
    expect(ds[0]!.error?.code).toBe('DTE_ERR_ENGINE_EXECUTOR_FAILED');
    expect(engine.hasUnfinished()).toBe(false);
    expect(engine.blocks.numFreeBlocks).toBe(8);
  });

  it('a lone sequence that outgrows the whole KV cache ends with length (no hang)', async () => {
    const r = await run({ maxModelLen: 200 }, { maxTokens: 150 }, 9, 'ab');
    expect(r.tokens.length).toBe(16 * 4 + 1 - 3); // 64 slots hold 64 computed tokens, plus the last sampled one
    expect(r.last.finishReason).toBe('length');
    expect(r.engine.hasUnfinished()).toBe(false);
    expect(r.engine.blocks.numFreeBlocks).toBe(16);
  });
});
