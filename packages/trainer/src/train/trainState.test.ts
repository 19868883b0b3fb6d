import { describe, expect, it } from 'vitest';
import { checkpointGguf } from '../model/checkpointGguf.ts';
import { readCheckpoint } from '../model/readCheckpoint.ts';
import { TinyLlama } from '../model/TinyLlama.ts';
import { trainBpeTokenizer } from '../tokenizer/trainBpeTokenizer.ts';
import { createOptimizer, trainLoop } from './trainLoop.ts';
import { restoreTrainState, trainStateGguf } from './trainState.ts';

describe('resume', () => {
  it('checkpoint + optimiser state after 3 steps, then 3 more = 6 steps in one go', () => {
    const { vocab } = trainBpeTokenizer(['you face north and see food'], { vocabSize: 300 });
    const nVocab = vocab.pieces.length;
    const config = {
      nVocab,
      nEmbd: 16,
      nLayer: 1,
      nHead: 2,
      nHeadKv: 1,
      nFf: 24,
      normEps: Math.fround(1e-5),
      ropeFreqBase: 10000,
      contextLength: 64,
    };
    const stream = Int32Array.from({ length: 400 }, (_, i) => (i * 37) % nVocab);
    const o = {
      steps: 6,
      batchSize: 2,
      seqLen: 8,
      seed: 4,
      schedule: { maxLr: 1e-2, minLr: 1e-3, warmupSteps: 2, totalSteps: 6 },
    };
    const straight = TinyLlama.init(config, 1);
    const all = trainLoop(straight, stream, o);
    const first = TinyLlama.init(config, 1);
    const opt = createOptimizer(first);
    const head = trainLoop(first, stream, { ...o, steps: 3, optimizer: opt });
    const weights = checkpointGguf(first, vocab, 'resume');
    const state = trainStateGguf(first, opt, 3);
    const { model: resumed } = readCheckpoint(weights);
    const opt2 = createOptimizer(resumed);
    const next = restoreTrainState(state, resumed, opt2);
    expect(next).toBe(3);
    const tail = trainLoop(resumed, stream, { ...o, startStep: next, optimizer: opt2 });
    expect([...head, ...tail]).toEqual(all);
    for (const [name, p] of straight.params) expect(resumed.params.get(name)).toEqual(p);
  });
});
