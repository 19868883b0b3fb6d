import { describe, expect, it } from 'vitest';
import { compileStep, splitWords, splitWordsByRegexes } from './preTokenize.ts';
import { type PreTokenizerKind, preTokenizerFor } from './preTokenizerFor.ts';
import { codepoints } from './unicodeFlags.ts';

function words(text: string, kind: PreTokenizerKind): string[] {
  const cps = codepoints(text);
  let start = 0;
  return splitWords(cps, kind).map((end) => {
    const w = String.fromCodePoint(...cps.subarray(start, end));
    start = end;
    return w;
  });
}

describe('splitWords', () => {
  it('gpt2: optional leading space, letters/numbers/punctuation runs, contractions, trailing spaces', () => {
    expect(words("Hello world, it's 2024!!  ok   ", 'gpt2')).toEqual([
      'Hello',
      ' world',
      ',',
      ' it',
      "'s",
      ' 2024',
      '!!',
      ' ',
      ' ok',
      '   ',
    ]);
    expect(words("I'LL", 'gpt2')).toEqual(['I', "'", 'LL']); // gpt2 contractions are case-sensitive
  });

  it('llama3: digits in threes, case-insensitive contractions, newlines attach to whitespace', () => {
    expect(words("1234567 I'LL go\n\n  x", 'llama3')).toEqual([
      '123',
      '456',
      '7',
      ' I',
      "'LL",
      ' go',
      '\n\n',
      ' ',
      ' x',
    ]);
    expect(words('a\t\tb', 'llama3')).toEqual(['a', '\t', '\tb']);
    expect(words('...\r\nx', 'llama3')).toEqual(['...\r\n', 'x']);
  });

  it('qwen2: one digit per word; qwen35: combining marks join letter runs', () => {
    expect(words('x 123', 'qwen2')).toEqual(['x', ' ', '1', '2', '3']);
    expect(words('e\u0301t\u0301e', 'qwen2')).toEqual(['e', '\u0301t', '\u0301e']);
    expect(words('e\u0301t\u0301e', 'qwen35')).toEqual(['e\u0301t\u0301e']);
  });

  it('starcoder: every digit alone, gpt2 in between', () => {
    expect(words('ab12 cd', 'starcoder')).toEqual(['ab', '1', '2', ' cd']);
  });

  it('regex lists (llama.cpp default): punctuation runs, gpt2, digit runs, then threes', () => {
    const steps = preTokenizerFor('default')!.regexes!.map(compileStep);
    const cps = codepoints('Hello, world!! 12345 ¡Olé!');
    let start = 0;
    const got = splitWordsByRegexes(cps, steps).map((end) => {
      const w = String.fromCodePoint(...cps.subarray(start, end));
      start = end;
      return w;
    });
    expect(got).toEqual(['Hello', ',', ' world', '!!', ' ', '123', '45', ' ', '¡', 'Olé', '!']);
    expect(preTokenizerFor('')).toBe(preTokenizerFor('default')); // a missing pre means 'default'
  });

  it('afmoe digits: leading length-mod-3 digits, then threes; preceding text stays glued', () => {
    const steps = [compileStep('\\p{AFMoE_digits}')];
    const cps = codepoints('ab12345 x123456');
    let start = 0;
    const got = splitWordsByRegexes(cps, steps).map((end) => {
      const w = String.fromCodePoint(...cps.subarray(start, end));
      start = end;
      return w;
    });
    expect(got).toEqual(['ab12', '345', ' x123', '456']);
  });

  it("the 'regex' kind is for splitWordsByRegexes: DTE_ERR_TOKENIZER_UNSUPPORTED", () => {
    expect(() => splitWords(codepoints('a b'), 'regex')).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_TOKENIZER_UNSUPPORTED', name: 'EngineError' }),
    );
  });

  it('knows the pre-tokenizer names of llama.cpp families', () => {
    expect(preTokenizerFor('llama-bpe')).toEqual({ kind: 'llama3', ignoreMerges: true, addBos: true });
    expect(preTokenizerFor('smollm')?.kind).toBe('starcoder');
    expect(preTokenizerFor('deepseek-r1-qwen')?.kind).toBe('qwen2');
    expect(preTokenizerFor('toString')).toBeUndefined();
    expect(preTokenizerFor('kimi-k2')).toBeUndefined(); // custom matcher in llama.cpp, not ported
    expect(preTokenizerFor('tekken')).toMatchObject({ kind: 'regex', ignoreMerges: true, addBos: true });
  });
});
