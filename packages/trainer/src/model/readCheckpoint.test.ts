import { writeGguf } from '@dte/engine-core';
import { describe, expect, it } from 'vitest';
import { recordText } from '../corpus/CorpusRecord.ts';
import { generateEchoCorpus } from '../corpus/generateEchoCorpus.ts';
import { trainBpeTokenizer } from '../tokenizer/trainBpeTokenizer.ts';
import { checkpointGguf } from './checkpointGguf.ts';
import { readCheckpoint } from './readCheckpoint.ts';
import { TinyLlama } from './TinyLlama.ts';

describe('readCheckpoint', () => {
  it('reads a checkpoint back exactly (weights, config, vocabulary), so training can resume', async () => {
    const texts = (await generateEchoCorpus({ seed: 2, episodes: 1, agents: 2, ticks: 30 })).map(recordText);
    const { vocab } = trainBpeTokenizer(texts, { vocabSize: 420 });
    const config = {
      nVocab: 420,
      nEmbd: 16,
      nLayer: 2,
      nHead: 2,
      nHeadKv: 1,
      nFf: 24,
      normEps: Math.fround(1e-5),
      ropeFreqBase: 10000,
      contextLength: 64,
    };
    const model = TinyLlama.init(config, 9);
    const back = readCheckpoint(checkpointGguf(model, vocab, 'rt'));
    expect(back.model.config).toEqual(config);
    expect(back.vocab.pieces).toEqual(vocab.pieces);
    expect(Array.from(back.vocab.scores)).toEqual(Array.from(vocab.scores));
    for (const [name, p] of model.params) expect(back.model.params.get(name)).toEqual(p);
    const ids = Int32Array.from([1, 5, 9, 300]);
    expect(back.model.logits(ids, 1)).toEqual(model.logits(ids, 1));
  });

  it('rejects files that are not llama checkpoints', () => {
    expect(() => readCheckpoint(writeGguf({ metadata: [], tensors: [] }))).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_TRAINER_BAD_CHECKPOINT' }),
    );
  });
});
