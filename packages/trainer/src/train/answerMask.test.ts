import { beforeAll, describe, expect, it } from 'vitest';
import { type CorpusRecord, recordText } from '../corpus/CorpusRecord.ts';
import { generateEchoCorpus } from '../corpus/generateEchoCorpus.ts';
import { TinyLlama } from '../model/TinyLlama.ts';
import { chooserDigitIds } from '../tokenizer/chooserDigitIds.ts';
import type { SpmBpeEncoder } from '../tokenizer/SpmBpeEncoder.ts';
import type { SpmVocab } from '../tokenizer/SpmVocab.ts';
import { trainBpeTokenizer } from '../tokenizer/trainBpeTokenizer.ts';
import { tokenizeCorpus, tokenizeCorpusWithAnswers } from './tokenizeCorpus.ts';
import { trainLoop } from './trainLoop.ts';

describe('answer masks', () => {
  let records: CorpusRecord[];
  let vocab: SpmVocab;
  let encoder: SpmBpeEncoder;
  beforeAll(async () => {
    records = await generateEchoCorpus({ seed: 5, episodes: 1, agents: 4, ticks: 60 });
    ({ vocab, encoder } = trainBpeTokenizer(records.map(recordText), { vocabSize: 400 }));
  });

  it('aligned windows start at <s>', () => {
    const { tokens } = tokenizeCorpusWithAnswers(records, encoder);
    const model = TinyLlama.init(
      {
        nVocab: vocab.pieces.length,
        nEmbd: 8,
        nLayer: 1,
        nHead: 2,
        nHeadKv: 1,
        nFf: 8,
        normEps: 1e-5,
        ropeFreqBase: 1e4,
        contextLength: 64,
      },
      1,
    );
    const seen: number[] = [];
    const lossAndGrad = model.lossAndGrad.bind(model);
    model.lossAndGrad = (x, y, n, b) => {
      for (let i = 0; i < n; i++) seen.push(x[(i * x.length) / n]!);
      return lossAndGrad(x, y, n, b);
    };
    const schedule = { maxLr: 1e-3, minLr: 1e-4, warmupSteps: 1, totalSteps: 3 };
    trainLoop(model, tokens, { steps: 3, batchSize: 4, seqLen: 16, seed: 1, schedule, alignTo: vocab.bosId });
    expect(seen).toEqual(new Array(12).fill(vocab.bosId));
  });

  it('mark exactly the answer tokens', () => {
    const { tokens, isAnswer } = tokenizeCorpusWithAnswers(records, encoder);
    expect(tokens).toEqual(tokenizeCorpus(records, encoder));
    const digits = new Set(chooserDigitIds(vocab));
    const choices = records.filter((r) => r.kind === 'choice').length;
    let digitAnswers = 0;
    tokens.forEach((t, i) => {
      if (isAnswer[i] && digits.has(t) && tokens[i + 1] === vocab.eosId && isAnswer[i + 1] === 0) digitAnswers++;
    });
    expect(digitAnswers).toBe(choices);
    expect(isAnswer[0]).toBe(0);
  });

  it('training on answers only drives the answer loss down', () => {
    const { tokens, isAnswer } = tokenizeCorpusWithAnswers(records, encoder);
    const config = {
      nVocab: vocab.pieces.length,
      nEmbd: 32,
      nLayer: 1,
      nHead: 4,
      nHeadKv: 2,
      nFf: 48,
      normEps: 1e-5,
      ropeFreqBase: 10000,
      contextLength: 256,
    };
    const L = 256;
    const answerLoss = (m: TinyLlama) => {
      const x = tokens.subarray(0, 4 * L);
      const y = Int32Array.from(tokens.subarray(1, 4 * L + 1), (t, i) => (isAnswer[i + 1] ? t : -1));
      return m.lossAndGrad(x, y, 4, false);
    };
    const model = TinyLlama.init(config, 1, 'f32', 'native');
    const before = answerLoss(model);
    const schedule = { maxLr: 5e-3, minLr: 5e-4, warmupSteps: 4, totalSteps: 40 };
    trainLoop(model, tokens, {
      steps: 40,
      batchSize: 4,
      seqLen: L,
      seed: 2,
      schedule,
      answerMask: isAnswer,
      alignTo: vocab.bosId,
    });
    expect(answerLoss(model)).toBeLessThan(before - 1.5);
  });
});
