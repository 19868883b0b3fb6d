import { beforeAll, describe, expect, it } from 'vitest';
import { readGguf } from '../gguf/readGguf.ts';
import { Tokenizer } from './Tokenizer.ts';
import { VOCAB_NAMES, vocabCases, vocabDir, vocabGguf } from './testing/vocabFixtures.ts';

// llama.cpp's own tokenizer test vectors (tests/test-tokenizer-0 with add_special=false,
// parse_special=false), extracted from the llama.cpp bundle shipped by node-llama-cpp.
beforeAll(() => {
  vocabDir();
}, 120_000);

describe.each(VOCAB_NAMES)('llama.cpp vocab test vectors: %s', (name) => {
  let tok: Tokenizer;
  beforeAll(() => {
    tok = Tokenizer.fromGguf(readGguf(vocabGguf(name)));
  });

  it('encodes every test input to exactly llama.cpp ids', () => {
    const cases = vocabCases(name);
    expect(cases.length).toBeGreaterThan(40);
    for (const c of cases) {
      expect({ text: c.text, ids: tok.encode(c.text, { addBos: false, addEos: false }) }).toEqual(c);
    }
  });

  it('decodes the expected ids back to the input text', () => {
    for (const c of vocabCases(name)) {
      // (SPM: the one dummy-prefix space encoding added at the start is dropped again.)
      expect(tok.decode(c.ids)).toBe(c.text);
    }
  });
});
