import { hasSharedModel, sharedModel } from '@dte/testkit';
import { getLlama, type Llama, type LlamaModel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGguf } from '../gguf/readGguf.ts';
import { Tokenizer } from './Tokenizer.ts';
import { FIXED_CORPUS, randomCorpus } from './testing/corpus.ts';
import { type VocabName, vocabGguf } from './testing/vocabFixtures.ts';

// Differential tests against llama.cpp itself (node-llama-cpp's prebuilt binary): same ids for a
// varied corpus, with and without special-token parsing, and the same BOS/EOS behaviour.
const CORPUS = [...FIXED_CORPUS, ...randomCorpus(20261124, 100)];

let llama: Llama;
beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: 'never', logLevel: 'disabled' as never });
}, 180_000);
afterAll(async () => {
  await llama?.dispose();
});

function compare(tok: Tokenizer, model: LlamaModel, texts: readonly string[], decodeToo: boolean): void {
  for (const text of texts) {
    for (const parseSpecial of [false, true]) {
      const want = Array.from(model.tokenize(text, parseSpecial));
      expect({ text, parseSpecial, ids: tok.encode(text, { addBos: false, addEos: false, parseSpecial }) }).toEqual({
        text,
        parseSpecial,
        ids: want,
      });
    }
    if (decodeToo && !text.startsWith(' ')) {
      const ids = tok.encode(text, { addBos: false });
      expect({ text, decoded: tok.decode(ids) }).toEqual({ text, decoded: model.detokenize(ids as never) });
    }
  }
}

function compareSpecialIds(tok: Tokenizer, model: LlamaModel): void {
  expect(tok.bosId).toBe(model.tokens.bos ?? -1);
  expect(tok.eosId).toBe(model.tokens.eos ?? -1);
  expect(tok.eotId).toBe(model.tokens.eot ?? undefined);
  expect(tok.vocab.addBos).toBe(model.tokens.shouldPrependBosToken);
  expect(tok.vocab.addEos).toBe(model.tokens.shouldAppendEosToken);
}

describe.skipIf(!hasSharedModel())('Tokenizer = llama.cpp on stories260K.gguf', () => {
  let model: LlamaModel;
  let tok: Tokenizer;
  beforeAll(async () => {
    model = await llama.loadModel({ modelPath: sharedModel('stories260K.gguf') });
    tok = Tokenizer.fromGguf(readGguf(sharedModel('stories260K.gguf')));
  }, 120_000);
  afterAll(async () => {
    await model?.dispose();
  });

  it('gives identical ids over a varied corpus (unicode, emoji, CJK, whitespace, code, empty)', () => {
    compare(tok, model, CORPUS, true);
  });

  it('has the same BOS/EOS ids and add-BOS behaviour', () => {
    compareSpecialIds(tok, model);
    expect(tok.encode('Hello')[0]).toBe(model.tokens.bos);
    expect(tok.encode('Hello').slice(1)).toEqual(Array.from(model.tokenize('Hello')));
    expect(tok.encode('', { addBos: true })).toEqual([model.tokens.bos]);
  });
});

describe.each<[VocabName, boolean]>([
  ['llama-spm', true],
  ['phi-3', true],
  ['gpt-2', false],
  ['llama-bpe', false],
  ['qwen2', true],
  ['qwen35', true],
  ['starcoder', false],
  ['deepseek-llm', false],
  ['gpt-neox', false],
  ['gemma-4', false],
])('Tokenizer = llama.cpp on the %s vocabulary (random corpus)', (name, decodeToo) => {
  let model: LlamaModel;
  let tok: Tokenizer;
  beforeAll(async () => {
    model = await llama.loadModel({ modelPath: vocabGguf(name), vocabOnly: true });
    tok = Tokenizer.fromGguf(readGguf(vocabGguf(name)));
  }, 120_000);
  afterAll(async () => {
    await model?.dispose();
  });

  it('gives identical ids, with and without special-token parsing', () => {
    // gpt2/llama3 detokenize with "clean spaces" heuristics that we deliberately do not apply.
    compare(tok, model, CORPUS, decodeToo);
  });

  it('has the same special ids and BOS/EOS behaviour', () => {
    compareSpecialIds(tok, model);
  });
});
