import { readGguf, Tokenizer, writeGguf } from '@dte/engine-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordText } from '../corpus/CorpusRecord.ts';
import { generateEchoCorpus } from '../corpus/generateEchoCorpus.ts';
import type { SpmBpeEncoder } from './SpmBpeEncoder.ts';
import { SPACE, type SpmVocab, TOKEN_TYPE } from './SpmVocab.ts';
import { tokenizerMetadata } from './tokenizerMetadata.ts';
import { trainBpeTokenizer } from './trainBpeTokenizer.ts';

describe('trainBpeTokenizer', () => {
  let texts: string[];
  let vocab: SpmVocab;
  let encoder: SpmBpeEncoder;
  beforeAll(async () => {
    texts = (await generateEchoCorpus({ seed: 3, episodes: 1, agents: 4, ticks: 60 })).map(recordText);
    ({ vocab, encoder } = trainBpeTokenizer(texts, { vocabSize: 600 }));
  });

  it('lays out specials, bytes, characters and merges with decreasing merge scores', () => {
    expect(vocab.pieces.length).toBe(600);
    expect(vocab.pieces.slice(0, 3)).toEqual(['<unk>', '<s>', '</s>']);
    expect(vocab.pieces[3]).toBe('<0x00>');
    expect(vocab.pieces[258]).toBe('<0xFF>');
    expect(vocab.types[0]).toBe(TOKEN_TYPE.UNKNOWN);
    expect(vocab.types[100]).toBe(TOKEN_TYPE.BYTE);
    expect(new Set(vocab.pieces).size).toBe(vocab.pieces.length);
    for (const d of '123456789') expect(vocab.pieces).toContain(d);
    // No piece carries ▁ past its first character.
    for (const p of vocab.pieces) expect(p.indexOf(SPACE, 1)).toBe(-1);
    expect(trainBpeTokenizer(texts, { vocabSize: 600 }).vocab).toEqual(vocab);
  });

  it('compresses the corpus and round-trips it', () => {
    const text = texts[0]!;
    const ids = encoder.encode(text);
    expect(ids.length).toBeLessThan(text.length / 2.5);
    const decoded = ids
      .map((id) => vocab.pieces[id]!)
      .join('')
      .replaceAll(SPACE, ' ');
    expect(decoded.slice(1)).toBe(text);
  });

  it("is read back by the engine's Tokenizer, which segments the corpus identically", () => {
    const file = readGguf(writeGguf({ metadata: tokenizerMetadata(vocab), tensors: [] }));
    const tok = Tokenizer.fromGguf(file);
    expect(tok.vocabSize).toBe(600);
    expect(tok.bosId).toBe(1);
    expect(tok.eosId).toBe(2);
    const extra = ['Héllo wörld ✓ 🙂', '  two  spaces\tand\nnewlines ', 'option 7'];
    for (const t of [...texts, ...extra]) {
      const ours = encoder.encode(t);
      expect(tok.encode(t, { addBos: false })).toEqual(ours);
      expect(tok.encode(t)).toEqual([1, ...ours]);
      expect(tok.decode(ours)).toBe(t);
    }
    // Characters outside the corpus fall back to bytes.
    expect(encoder.pieces('✓', false)).toEqual(['<0xE2>', '<0x9C>', '<0x93>']);
  });

  it('with splitDigits, reads numbers digit by digit (SentencePiece split_digits), and the engine agrees', () => {
    const split = trainBpeTokenizer(texts, { vocabSize: 600, splitDigits: true });
    // Without it, whole percentages become pieces.
    expect(vocab.pieces.some((p) => /[0-9]/.test(p) && p.length > 1)).toBe(true);
    for (const p of split.vocab.pieces)
      if (/[0-9]/.test(p) && !p.startsWith('<0x')) expect(p, 'a digit piece stands alone').toHaveLength(1);
    const text = 'Energy 78%, hydration 84%, health 100%.';
    const pieces = split.encoder.pieces(text, false);
    expect(pieces.filter((p) => /[0-9]/.test(p))).toEqual(['7', '8', '8', '4', '1', '0', '0']);
    const tok = Tokenizer.fromGguf(readGguf(writeGguf({ metadata: tokenizerMetadata(split.vocab), tensors: [] })));
    for (const t of [...texts.slice(0, 20), text])
      expect(tok.encode(t, { addBos: false })).toEqual(split.encoder.encode(t));
  });

  it('rejects a vocabulary too small for its base pieces', () => {
    expect(() => trainBpeTokenizer(texts, { vocabSize: 100 })).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_TRAINER_BAD_OPTIONS' }),
    );
  });
});
