import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordText } from '../corpus/CorpusRecord.ts';
import { generateEchoCorpus } from '../corpus/generateEchoCorpus.ts';
import { trainBpeTokenizer } from '../tokenizer/trainBpeTokenizer.ts';
import { checkpointGguf } from './checkpointGguf.ts';
import { TinyLlama } from './TinyLlama.ts';

// The oracle: llama.cpp (node-llama-cpp's prebuilt binary) loads our checkpoint and tokenizes the
// corpus exactly as the trainer's own segmentation does.
let llama: Llama;
const dir = mkdtempSync(join(tmpdir(), 'dte-trainer-'));
beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: 'never', logLevel: 'disabled' as never });
}, 180_000);
afterAll(async () => {
  await llama?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('checkpointGguf = what llama.cpp loads', () => {
  it('llama.cpp loads the model and tokenizes the corpus like the trainer', async () => {
    const records = await generateEchoCorpus({ seed: 21, episodes: 1, agents: 4, ticks: 60 });
    const texts = records.map(recordText);
    const { vocab, encoder } = trainBpeTokenizer(texts, { vocabSize: 500 });
    const config = {
      nVocab: 500,
      nEmbd: 32,
      nLayer: 1,
      nHead: 4,
      nHeadKv: 2,
      nFf: 64,
      normEps: 1e-5,
      ropeFreqBase: 10000,
      contextLength: 128,
    };
    const path = join(dir, 'tiny.gguf');
    writeFileSync(path, checkpointGguf(TinyLlama.init(config, 1), vocab, 'oracle-tiny'));
    const model = await llama.loadModel({ modelPath: path });
    try {
      expect(model.tokens.bos).toBe(1);
      expect(model.tokens.eos).toBe(2);
      for (const t of [...texts.slice(0, 40), 'Héllo  wörld ✓\n 7']) {
        expect({ t, ids: Array.from(model.tokenize(t)) }).toEqual({ t, ids: encoder.encode(t) });
      }
    } finally {
      await model.dispose();
    }
  });
});
