import { readFileSync } from 'node:fs';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { describe, expect, it } from 'vitest';
import { readGguf } from '../gguf/readGguf.ts';
import { Tokenizer } from '../tokenizer/Tokenizer.ts';
import { convertLlama2c } from './convertLlama2c.ts';

const CORPUS = [
  '',
  'Once upon a time, there was a little girl named Lily.',
  '  leading and trailing spaces  ',
  'Tabs\tand\nnewlines\n\nand\r\nCRLF',
  'Numbers 1234567890 and 3.14159, punctuation!?;:…',
  'Ünïcödé: naïve café, 日本語のテキスト, Ελληνικά, русский, emoji 🌳🦙👍🏽',
  'byte fallback: \u0001\u0007\u001f and a zero-width\u200bjoiner',
  '<s> special-looking text </s> <unk> should be plain text',
  "She said, \"Don't go!\" and he replied: 'ok'.",
  'a'.repeat(300),
  'The dog ran. The cat sat. The bird flew away into the big blue sky.',
];

describe.skipIf(!hasSharedModel() || !hasSharedModel('stories260K.bin') || !hasSharedModel('tok512.bin'))(
  'convertLlama2c: the converted tokenizer encodes like the shipped GGUF',
  () => {
    it('same ids and same decoding for a varied corpus', () => {
      const ours = Tokenizer.fromGguf(
        readGguf(convertLlama2c(readFileSync(sharedModel('stories260K.bin')), readFileSync(sharedModel('tok512.bin')))),
      );
      const theirs = Tokenizer.fromGguf(readGguf(sharedModel('stories260K.gguf')));
      expect(ours.vocabSize).toBe(theirs.vocabSize);
      let total = 0;
      for (const text of CORPUS) {
        for (const addBos of [true, false]) {
          const ids = ours.encode(text, { addBos });
          expect(ids, JSON.stringify(text)).toEqual(theirs.encode(text, { addBos }));
          total += ids.length;
        }
        expect(ours.decode(ours.encode(text, { addBos: false }))).toBe(
          theirs.decode(theirs.encode(text, { addBos: false })),
        );
      }
      expect(total).toBeGreaterThan(500);
    });
  },
);
