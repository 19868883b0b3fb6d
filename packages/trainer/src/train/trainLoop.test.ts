import { createEngine, loadModel, readGguf } from '@dte/engine-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CorpusRecord, recordText } from '../corpus/CorpusRecord.ts';
import { generateEchoCorpus } from '../corpus/generateEchoCorpus.ts';
import { checkpointGguf } from '../model/checkpointGguf.ts';
import { TinyLlama, type TinyLlamaConfig } from '../model/TinyLlama.ts';
import type { SpmBpeEncoder } from '../tokenizer/SpmBpeEncoder.ts';
import type { SpmVocab } from '../tokenizer/SpmVocab.ts';
import { trainBpeTokenizer } from '../tokenizer/trainBpeTokenizer.ts';
import { tokenizeCorpus } from './tokenizeCorpus.ts';
import { trainLoop } from './trainLoop.ts';

describe('end to end: corpus → tokenizer → training → GGUF → engine', () => {
  let records: CorpusRecord[];
  let vocab: SpmVocab;
  let encoder: SpmBpeEncoder;
  let config: TinyLlamaConfig;
  let model: TinyLlama;
  let losses: number[];
  beforeAll(async () => {
    records = await generateEchoCorpus({ seed: 11, episodes: 1, agents: 4, ticks: 60 });
    ({ vocab, encoder } = trainBpeTokenizer(records.map(recordText), { vocabSize: 400 }));
    const stream = tokenizeCorpus(records, encoder);
    config = {
      nVocab: vocab.pieces.length,
      nEmbd: 32,
      nLayer: 2,
      nHead: 4,
      nHeadKv: 2,
      nFf: 64,
      normEps: 1e-5,
      ropeFreqBase: 10000,
      contextLength: 128,
    };
    model = TinyLlama.init(config, 3);
    const schedule = { maxLr: 3e-3, minLr: 3e-4, warmupSteps: 5, totalSteps: 60 };
    losses = trainLoop(model, stream, { steps: 60, batchSize: 4, seqLen: 32, schedule, seed: 1 });
  });

  it('the loss falls well below its start (log V at init)', () => {
    expect(losses[0]).toBeGreaterThan(Math.log(config.nVocab) - 0.3);
    const head = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
    const tail = losses.slice(-5).reduce((a, b) => a + b) / 5;
    expect(tail).toBeLessThan(head - 1.5);
    expect(losses.every(Number.isFinite)).toBe(true);
  });

  it('writes a GGUF that loadModel reads, whose logits match the trainer and which generates', async () => {
    const file = readGguf(checkpointGguf(model, vocab, 'echo-test'));
    const prompt = records[0]!.prompt;
    const ids = [vocab.bosId, ...encoder.encode(prompt)].slice(0, 24);
    const ours = model.logits(Int32Array.from(ids), 1);
    for (const backend of ['reference', 'native'] as const) {
      const loaded = await loadModel(file, { backend, numBlocks: 8 });
      expect(loaded.config).toMatchObject({ nEmbd: 32, nLayer: 2, nHead: 4, nHeadKv: 2, nFf: 64, ropeNeox: false });
      expect(loaded.tokenizer.encode(prompt)).toEqual([vocab.bosId, ...encoder.encode(prompt)]);
      const logits = await loaded.model.forward({
        tokens: Int32Array.from(ids),
        positions: Int32Array.from(ids, (_, i) => i),
        seqStarts: Int32Array.from([0, ids.length]),
        contextLens: Int32Array.from([ids.length]),
        blockTables: Int32Array.from({ length: 8 }, (_, i) => i),
        maxBlocksPerSeq: 8,
        slotMapping: Int32Array.from(ids, (_, i) => i),
        logitsIndices: Int32Array.from([ids.length - 1]),
      });
      const last = ours.subarray((ids.length - 1) * config.nVocab, ids.length * config.nVocab);
      let maxDiff = 0;
      for (let j = 0; j < config.nVocab; j++) maxDiff = Math.max(maxDiff, Math.abs(logits[j]! - last[j]!));
      expect(maxDiff).toBeLessThan(1e-3);
      const engine = createEngine(loaded);
      const out = await engine.collect({ prompt: 'You are agent_0, a careful', sampling: { maxTokens: 12 } });
      await engine.close();
      expect(out.flatMap((d) => d.tokenIds).length).toBeGreaterThan(0);
      expect(['stop', 'length']).toContain(out[out.length - 1]!.finishReason);
    }
  });
});
