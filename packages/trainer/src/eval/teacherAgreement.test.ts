import { loadModel, readGguf } from '@dte/engine-core';
import { describe, expect, it } from 'vitest';
import { recordText } from '../corpus/CorpusRecord.ts';
import { generateEchoCorpus } from '../corpus/generateEchoCorpus.ts';
import { checkpointGguf } from '../model/checkpointGguf.ts';
import { TinyLlama } from '../model/TinyLlama.ts';
import { chooserDigitIds } from '../tokenizer/chooserDigitIds.ts';
import { trainBpeTokenizer } from '../tokenizer/trainBpeTokenizer.ts';
import { teacherAgreement } from './teacherAgreement.ts';

describe('teacherAgreement', () => {
  it("is the share of choices whose highest-logit option digit is the teacher's, as the trainer's own forward computes it", async () => {
    const records = (await generateEchoCorpus({ seed: 9, episodes: 1, agents: 3, ticks: 40 })).slice(0, 24);
    const { vocab, encoder } = trainBpeTokenizer(records.map(recordText), { vocabSize: 400 });
    const config = {
      nVocab: vocab.pieces.length,
      nEmbd: 16,
      nLayer: 1,
      nHead: 2,
      nHeadKv: 1,
      nFf: 24,
      normEps: 1e-5,
      ropeFreqBase: 10000,
      contextLength: 1024,
    };
    const model = TinyLlama.init(config, 5);
    const loaded = await loadModel(readGguf(checkpointGguf(model, vocab, 'agree')), {
      backend: 'reference',
      numBlocks: 64,
    });
    const digits = chooserDigitIds(vocab);
    const got = await teacherAgreement(loaded, records, digits);
    // The same figure from the trainer's logits over <s> + prompt.
    let agree = 0;
    for (const r of records) {
      const ids = Int32Array.from([vocab.bosId, ...encoder.encode(r.prompt)]);
      const all = model.logits(ids, 1);
      const last = all.subarray((ids.length - 1) * config.nVocab);
      const n = r.prompt.split('\n').filter((l) => /^[1-9]\. /.test(l)).length;
      let best = 0;
      for (let i = 1; i < n; i++) if (last[digits[i]!]! > last[digits[best]!]!) best = i;
      if (best + 1 === Number(r.answer)) agree++;
    }
    expect(got.choices).toBe(records.length);
    expect(got.agreement).toBeCloseTo(agree / records.length, 12);
    expect(Object.values(got.byKind).reduce((s, [, n]) => s + n, 0)).toBe(records.length);
    for (const k of Object.keys(got.byKind)) expect(['drink', 'eat', 'explore']).toContain(k);
    expect(Number.isNaN((await teacherAgreement(loaded, [], digits)).agreement)).toBe(true);
    await expect(teacherAgreement(loaded, records, digits.slice(0, 1))).rejects.toMatchObject({
      code: 'DTE_ERR_TRAINER_BAD_OPTIONS',
    });
  });
});
