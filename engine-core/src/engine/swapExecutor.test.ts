import { describe, expect, it } from 'vitest';
import { readGguf } from '../gguf/readGguf.ts';
import { loadModel } from '../model/loadModel.ts';
import { synthesizeModel } from '../synth/synthesizeModel.ts';
import { AsyncEngine } from './AsyncEngine.ts';
import { createEngine } from './createEngine.ts';
import { LlmEngine } from './LlmEngine.ts';

const model = (seed: number) =>
  loadModel(readGguf(synthesizeModel({ arch: 'llama', params: 'tiny', type: 'F32', seed })), { numBlocks: 64 });

describe('hot swap of the model (swapExecutor)', () => {
  it('a request in flight finishes on the new weights: what follows the swap is what they generate', async () => {
    const a = await model(1);
    const b = await model(2);
    // The core by hand, to look at its block manager after the swap.
    const core = new LlmEngine({ executor: a.model, tokenizer: a.tokenizer, numBlocks: 64, policy: 'fcfs' });
    const engine = new AsyncEngine(core);
    const prompt = [1, 17, 42, 99, 7];
    const sampling = { temperature: 0, maxTokens: 24, ignoreEos: true };
    const got: number[] = [];
    let swapped = -1;
    let preempted = -1;
    for await (const d of engine.generate({ promptTokenIds: prompt, sampling })) {
      got.push(...d.tokenIds);
      if (got.length === 8) {
        swapped = got.length;
        ({ preempted } = await engine.swapExecutor(b.model));
        // Cached prefixes from the old weights are gone.
        expect(core.blocks.numCachedBlocks).toBe(0);
      }
    }
    expect(got).toHaveLength(24);
    expect(preempted).toBe(1);
    // Greedy on model b alone, from the prompt and the first 8 tokens (generated on a), gives the rest.
    const alone = createEngine(b);
    const rest = (
      await alone.collect({
        promptTokenIds: [...prompt, ...got.slice(0, swapped)],
        sampling: { ...sampling, maxTokens: 16 },
      })
    ).flatMap((d) => d.tokenIds);
    expect(got.slice(swapped)).toEqual(rest);
    // And it differs from staying on model a (the swap took effect).
    const stay = createEngine(a);
    const onA = (await stay.collect({ promptTokenIds: prompt, sampling })).flatMap((d) => d.tokenIds);
    expect(onA.slice(swapped)).not.toEqual(got.slice(swapped));
    await Promise.all([engine.close(), alone.close(), stay.close()]);
  });

  it('refuses a swap during a step', async () => {
    const a = await model(1);
    const engine = new LlmEngine({ executor: a.model, tokenizer: a.tokenizer, numBlocks: 64 });
    engine.addRequest({ promptTokenIds: [1, 2, 3], sampling: { maxTokens: 2 } });
    const step = engine.step();
    expect(() => engine.swapExecutor(a.model)).toThrow(expect.objectContaining({ code: 'DTE_ERR_ENGINE_BAD_CONFIG' }));
    await step;
  });
});
