import { describe, expect, it } from 'vitest';
import { readGguf } from '../gguf/readGguf.ts';
import { loadModel } from '../model/loadModel.ts';
import { synthesizeModel } from '../synth/synthesizeModel.ts';
import { createEngine, type EngineModel } from './createEngine.ts';
import { FakeExecutor, FakeTokenizer, fakeGreedy } from './testing/fakeModel.ts';

const tok = new FakeTokenizer();

/** A loaded model of fake pieces: `numBlocks` blocks of 4 tokens, trained context `ctx` when given. */
function fakeLoaded(numBlocks: number, ctx?: number, nVocab = tok.vocabSize): EngineModel {
  return {
    model: new FakeExecutor(nVocab, numBlocks, 4),
    tokenizer: tok,
    config: { arch: 'llama', nVocab, numBlocks, blockSize: 4 },
    ...(ctx === undefined ? {} : { file: { metadata: new Map([['llama.context_length', ctx]]) } }),
  };
}

const code = (c: string) => expect.objectContaining({ code: c });

describe('createEngine', () => {
  it('takes the KV geometry from the model; a sequence is bounded by the trained context and the cache', async () => {
    const trained = createEngine(fakeLoaded(32, 40));
    expect(trained.numBlocks).toBe(32);
    expect(trained.maxModelLen).toBe(40);
    expect(createEngine(fakeLoaded(8, 40)).maxModelLen).toBe(32);
    expect(createEngine(fakeLoaded(32)).maxModelLen).toBe(128);
    expect(createEngine(fakeLoaded(32, 40), { maxModelLen: 100 }).maxModelLen).toBe(100);
    expect(createEngine(fakeLoaded(32, 40), { maxModelLen: 1000 }).maxModelLen).toBe(128);
    // 39 prompt tokens leave room for one more under 40; 40 leave none.
    expect(() => trained.generate({ promptTokenIds: new Array(40).fill(2) })).toThrow(
      code('DTE_ERR_ENGINE_PROMPT_TOO_LONG'),
    );
    const ds = await trained.collect({ promptTokenIds: new Array(39).fill(2), sampling: { ignoreEos: true } });
    expect(ds[ds.length - 1]!.finishReason).toBe('length');
    expect(ds.flatMap((d) => d.tokenIds)).toHaveLength(1);
    await trained.close();
  });

  it('the logit rows are the model’s vocabulary (nVocab), not the tokenizer’s', async () => {
    const wide = createEngine(fakeLoaded(16, undefined, tok.vocabSize + 5));
    const ds = await wide.collect({ promptTokenIds: [0, tok.vocabSize + 4], sampling: { maxTokens: 2 } });
    expect(ds.length).toBeGreaterThan(0);
    expect(() => wide.generate({ promptTokenIds: [0, tok.vocabSize + 5] })).toThrow(code('DTE_ERR_ENGINE_BAD_REQUEST'));
    await wide.close();
  });

  it('passes scheduling and sampling options through; the queue is readable on the wrapper', async () => {
    const engine = createEngine(fakeLoaded(32), { maxNumSeqs: 1, policy: 'priority', seed: 7 });
    expect(engine.maxNumSeqs).toBe(1);
    expect(() => engine.generate({ prompt: 'ab', sampling: { n: 2 } })).toThrow(code('DTE_ERR_ENGINE_BAD_REQUEST'));
    const prompts = ['abc', 'hello', 'xyz'];
    const runs = prompts.map((p) => engine.collect({ prompt: p, sampling: { temperature: 0, maxTokens: 5 } }));
    // Submitted in one synchronous burst: all queued, none stepped yet.
    expect(engine.numRequests).toBe(3);
    expect(engine.numWaiting).toBe(3);
    const results = await Promise.all(runs);
    results.forEach((ds, i) => {
      const want = fakeGreedy(tok.encode(prompts[i]!), 5, tok.vocabSize, true);
      expect(ds.flatMap((d) => d.tokenIds)).toEqual(want);
    });
    expect(engine.numRequests).toBe(0);
    expect(engine.numWaiting).toBe(0);
    expect(engine.metrics().numFreeBlocks).toBe(32);
    await engine.close();
  });

  it('seeds requests without their own seed from its seed', async () => {
    const sample = async (seed: number) => {
      const engine = createEngine(fakeLoaded(32), { seed });
      const ds = await engine.collect({ prompt: 'abc', sampling: { temperature: 1, maxTokens: 12, ignoreEos: true } });
      await engine.close();
      return ds.flatMap((d) => d.tokenIds);
    };
    expect(await sample(1)).toEqual(await sample(1));
    expect(await sample(1)).not.toEqual(await sample(2));
  });

  it('over a loaded model: its trained context and vocabulary; greedy is deterministic, sampling seeded', async () => {
    const file = readGguf(
      synthesizeModel({ arch: 'llama', params: 'tiny', dims: { nLayer: 1 }, type: 'Q8_0', seed: 2 }),
    );
    const loaded = await loadModel(file, { backend: 'reference', numBlocks: 64 });
    const engine = createEngine(loaded);
    expect(engine.maxModelLen).toBe(file.metadata.get('llama.context_length'));
    expect(engine.maxModelLen).toBeLessThan(64 * 16);
    const tokens = async (sampling: object) =>
      (await engine.collect({ prompt: 'hello', sampling: { maxTokens: 16, ignoreEos: true, ...sampling } })).flatMap(
        (d) => d.tokenIds,
      );
    const g = await tokens({ temperature: 0 });
    expect(g).toHaveLength(16);
    expect(await tokens({ temperature: 0 })).toEqual(g);
    const s1 = await tokens({ temperature: 2, seed: 1 });
    expect(await tokens({ temperature: 2, seed: 1 })).toEqual(s1);
    expect(await tokens({ temperature: 2, seed: 9 })).not.toEqual(s1);
    await engine.close();
  });
});
