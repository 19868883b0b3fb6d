import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GGUF_TYPE, type GgufMetadataType } from '../gguf/GGUF_TYPE.ts';
import type { GgufValue } from '../gguf/GgufFile.ts';
import { readGguf } from '../gguf/readGguf.ts';
import { type GgufSpec, ggufSpecOf, writeGguf } from '../gguf/writeGguf.ts';
import { supportedPreNames } from './preTokenizerFor.ts';
import { Tokenizer } from './Tokenizer.ts';
import { FIXED_CORPUS, randomCorpus } from './testing/corpus.ts';
import { vocabGguf } from './testing/vocabFixtures.ts';

// Every pre-tokenizer name we accept, checked against llama.cpp itself: a small vocabulary cut from
// gpt-2's (the 256 byte characters and the first 3000 merges) is written with that
// `tokenizer.ggml.pre` (or without the key for ''), then both tokenize a corpus.
// (Special-token splitting does not depend on `pre` and is covered by the other oracle tests.)
const CORPUS = [...FIXED_CORPUS, ...randomCorpus(31337, 20)];

let llama: Llama;
let dir: string;
let base: GgufSpec;
beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: 'never', logLevel: 'disabled' as never });
  dir = mkdtempSync(join(tmpdir(), 'dte-pre-'));
  base = smallVocabSpec();
}, 180_000);

function smallVocabSpec(): GgufSpec {
  const gpt2 = readGguf(vocabGguf('gpt-2'));
  const merges = (gpt2.metadata.get('tokenizer.ggml.merges') as string[]).slice(0, 3000);
  const tokens = new Set((gpt2.metadata.get('tokenizer.ggml.tokens') as string[]).slice(0, 256));
  for (const m of merges) {
    const [a, b] = m.split(' ') as [string, string];
    tokens
      .add(a)
      .add(b)
      .add(a + b);
  }
  const list = [...tokens, '<|endoftext|>'];
  const eot = list.length - 1;
  const replaced: Record<string, { type: GgufMetadataType; value: GgufValue }> = {
    'tokenizer.ggml.tokens': { type: { array: GGUF_TYPE.STRING }, value: list },
    'tokenizer.ggml.token_type': {
      type: { array: GGUF_TYPE.INT32 },
      value: Int32Array.from(list, (_, i) => (i === eot ? 3 : 1)),
    },
    'tokenizer.ggml.merges': { type: { array: GGUF_TYPE.STRING }, value: merges },
    'tokenizer.ggml.bos_token_id': { type: GGUF_TYPE.UINT32, value: eot },
    'tokenizer.ggml.eos_token_id': { type: GGUF_TYPE.UINT32, value: eot },
  };
  const spec = ggufSpecOf(gpt2);
  spec.metadata = spec.metadata
    .filter((m) => m.key !== 'tokenizer.ggml.pre')
    .map((m) => (replaced[m.key] ? { key: m.key, ...replaced[m.key]! } : m));
  return spec;
}
afterAll(async () => {
  await llama?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('every supported tokenizer.ggml.pre name = llama.cpp', () => {
  it.each(supportedPreNames())("pre '%s': same ids and add-BOS default", async (pre) => {
    const metadata =
      pre === ''
        ? base.metadata
        : [...base.metadata, { key: 'tokenizer.ggml.pre', type: GGUF_TYPE.STRING, value: pre }];
    const bytes = writeGguf({ ...base, metadata });
    const path = join(dir, `pre-${pre || 'missing'}.gguf`);
    writeFileSync(path, bytes);
    const tok = Tokenizer.fromGguf(readGguf(bytes));
    const model = await llama.loadModel({ modelPath: path, vocabOnly: true });
    try {
      expect(tok.vocab.addBos).toBe(model.tokens.shouldPrependBosToken);
      for (const text of CORPUS) {
        expect({ pre, text, ids: tok.encode(text, { addBos: false }) }).toEqual({
          pre,
          text,
          ids: Array.from(model.tokenize(text)),
        });
      }
    } finally {
      await model.dispose();
    }
  });
});
