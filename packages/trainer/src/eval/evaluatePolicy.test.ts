import { ActionChooser } from '@dte/aar';
import { ACTIONS, expertPolicy, Rng } from '@dte/arena';
import { type AsyncEngine, loadModel, readGguf, Tokenizer, writeGguf } from '@dte/engine-core';
import { describe, expect, it } from 'vitest';
import { generateCorpus, recordText } from '../corpus/generateCorpus.ts';
import { checkpointGguf } from '../model/checkpointGguf.ts';
import { TinyLlama } from '../model/TinyLlama.ts';
import { chooserDigitIds } from '../tokenizer/chooserDigitIds.ts';
import { tokenizerMetadata } from '../tokenizer/tokenizerMetadata.ts';
import { trainBpeTokenizer } from '../tokenizer/trainBpeTokenizer.ts';
import { tokenizeCorpus } from '../train/tokenizeCorpus.ts';
import { evaluatePolicy } from './evaluatePolicy.ts';
import { modelPolicy, promptPolicy } from './modelPolicy.ts';

const records = generateCorpus({ seed: 4, episodes: 1, ticks: 20 });
const { vocab, encoder } = trainBpeTokenizer(records.map(recordText), { vocabSize: 450 });

describe('evaluation', () => {
  it('the scripted expert earns more reward than a random policy', async () => {
    const o = { seed: 100, episodes: 4, ticks: 80 };
    const expert = await evaluatePolicy((obs, c) => expertPolicy(obs, c.viewSize), o);
    const rng = new Rng(5);
    const random = await evaluatePolicy((obs) => {
      const legal = [...obs.actionMask.keys()].filter((a) => obs.actionMask[a] === 1);
      return legal[rng.int(legal.length)]!;
    }, o);
    expect(expert.decisions).toBeGreaterThan(0);
    expect(expert.meanReward).toBeGreaterThan(random.meanReward);
    expect(expert.survival).toBeGreaterThan(0);
    expect(expert.survival).toBeLessThanOrEqual(1);
  });

  it('training answers use the digit tokens the ActionChooser allows', () => {
    const tok = Tokenizer.fromGguf(readGguf(writeGguf({ metadata: tokenizerMetadata(vocab), tensors: [] })));
    const allowed = new ActionChooser({} as AsyncEngine, tok, ACTIONS).digitTokens();
    expect(chooserDigitIds(vocab).slice(0, ACTIONS.length)).toEqual(allowed);
    const choice = records.find((r) => r.kind === 'choice')!;
    const stream = tokenizeCorpus([choice], encoder);
    expect(stream[stream.length - 2]).toBe(allowed[Number(choice.answer) - 1]);
    expect(Array.from(stream.subarray(1, -2))).toEqual(tok.encode(choice.prompt, { addBos: false }));
  });

  it('a model policy always picks a legal action', async () => {
    const config = {
      nVocab: 450,
      nEmbd: 16,
      nLayer: 1,
      nHead: 2,
      nHeadKv: 1,
      nFf: 32,
      normEps: 1e-5,
      ropeFreqBase: 10000,
      contextLength: 512,
    };
    const loaded = await loadModel(readGguf(checkpointGguf(TinyLlama.init(config, 2), vocab, 't')), { numBlocks: 32 });
    const seen: number[] = [];
    const policy = modelPolicy(loaded);
    const result = await evaluatePolicy(
      async (obs, c) => {
        const a = await policy(obs, c);
        expect(obs.actionMask[a]).toBe(1);
        seen.push(a);
        return a;
      },
      { seed: 3, episodes: 1, ticks: 5 },
    );
    expect(result.decisions).toBe(seen.length);
    expect(seen.length).toBe(10);
  });
});

describe('promptPolicy', () => {
  it('plays with exactly the prompts the corpus was written with (same memories, options, persona)', async () => {
    const corpus = generateCorpus({ seed: 0, episodes: 1, ticks: 25 }).filter((r) => r.kind === 'choice');
    const chooser = new ActionChooser({} as AsyncEngine, {} as Tokenizer, ACTIONS);
    const prompts: string[] = [];
    const policy = promptPolicy(chooser, (prompt, legal, obs, c) => {
      prompts.push(prompt);
      return legal.indexOf(expertPolicy(obs, c.viewSize));
    });
    await evaluatePolicy(policy, { seed: 0, episodes: 1, ticks: 25 });
    expect(prompts.length).toBe(corpus.length);
    expect(prompts).toEqual(corpus.map((r) => r.prompt));
    expect(prompts.some((p) => p.includes('I gained'))).toBe(true);
  });
});
