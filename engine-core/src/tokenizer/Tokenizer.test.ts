import { beforeAll, describe, expect, it } from 'vitest';
import type { GgufValue } from '../gguf/GgufFile.ts';
import { readGguf } from '../gguf/readGguf.ts';
import { Tokenizer } from './Tokenizer.ts';
import { FIXED_CORPUS, randomCorpus } from './testing/corpus.ts';
import { type VocabName, vocabGguf } from './testing/vocabFixtures.ts';

const load = (name: VocabName) => Tokenizer.fromGguf(readGguf(vocabGguf(name)));
const SPECIAL_LOOKALIKE = /<s>|<\/s>|<unk>|<\|/;
const TEXTS = [...FIXED_CORPUS, ...randomCorpus(99, 60)].filter((t) => !SPECIAL_LOOKALIKE.test(t));

/** A small synthetic SPM vocabulary: 0 <unk>, 1 <s>, 2 </s>, then pieces with chosen scores. */
function spm(pieces: Array<[string, number, number?]>, extra: Record<string, GgufValue> = {}): Tokenizer {
  const all: Array<[string, number, number]> = [
    ['<unk>', 0, 2],
    ['<s>', 0, 3],
    ['</s>', 0, 3],
    ...pieces.map(([t, s, type]) => [t, s, type ?? 1] as [string, number, number]),
  ];
  const metadata = new Map<string, GgufValue>([
    ['tokenizer.ggml.model', 'llama'],
    ['tokenizer.ggml.tokens', all.map((p) => p[0])],
    ['tokenizer.ggml.scores', Float32Array.from(all.map((p) => p[1]))],
    ['tokenizer.ggml.token_type', Int32Array.from(all.map((p) => p[2]))],
    ...Object.entries(extra),
  ]);
  return Tokenizer.fromGguf({ metadata });
}

describe('Tokenizer: SentencePiece-BPE mechanics (synthetic vocabulary)', () => {
  it('merges by score, highest first', () => {
    const low = spm([
      ['▁', 0],
      ['a', 0],
      ['b', 0],
      ['ab', -1],
      ['▁a', -0.5],
    ]);
    expect(low.encode('ab', { addBos: false })).toEqual([7, 5]); // ▁a + b
    const high = spm([
      ['▁', 0],
      ['a', 0],
      ['b', 0],
      ['ab', 0],
      ['▁a', -0.5],
    ]);
    expect(high.encode('ab', { addBos: false })).toEqual([3, 6]); // ▁ + ab
  });

  it('falls back to <0xXX> byte tokens, then to <unk>, and streams whole characters only', () => {
    const tok = spm([
      ['▁', 0],
      ['<0xC3>', 0, 6],
      ['<0xA9>', 0, 6],
    ]);
    expect(tok.encode('é', { addBos: false })).toEqual([3, 4, 5]);
    expect(tok.encode('x', { addBos: false })).toEqual([3, 0]); // no byte token for 'x': <unk>
    const s = tok.createStreamDecoder();
    expect([s.push(1), s.push(3), s.push(4), s.push(5), s.flush()]).toEqual(['<s>', '', '', 'é', '']);
    const t = tok.createStreamDecoder({ skipSpecial: true });
    expect([t.push(4), t.flush()]).toEqual(['', '\ufffd']); // an unfinished character is only given up at flush
  });

  it('adds the dummy prefix space only at the start and after special tokens', () => {
    const tok = load('llama-spm');
    const hello = tok.encode('Hello', { addBos: false });
    expect(tok.encode('<s>Hello', { addBos: false, parseSpecial: true })).toEqual([1, ...hello]);
    expect(tok.decode([1, ...hello])).toBe('<s>Hello');
    expect(tok.decode([1, ...hello, 2], { skipSpecial: true })).toBe('Hello');
  });
});

describe('Tokenizer: options, special tokens and decoding', () => {
  let spmTok: Tokenizer;
  let qwen: Tokenizer;
  beforeAll(() => {
    spmTok = load('llama-spm');
    qwen = load('qwen2');
  });

  it('adds BOS by the GGUF default, and BOS/EOS on request', () => {
    const ids = spmTok.encode('Hello world');
    expect(ids[0]).toBe(spmTok.bosId);
    expect(spmTok.encode('Hello world', { addBos: false })).toEqual(ids.slice(1));
    expect(spmTok.encode('Hello world', { addEos: true }).at(-1)).toBe(spmTok.eosId);
    expect(qwen.encode('Hello')[0]).not.toBe(qwen.bosId); // qwen2 does not add BOS
  });

  it('splits control tokens out of the text only with parseSpecial', () => {
    const text = '<|im_start|>user\nhi<|im_end|>';
    const start = qwen.vocab.tokenToId.get('<|im_start|>')!;
    const end = qwen.vocab.tokenToId.get('<|im_end|>')!;
    const parsed = qwen.encode(text, { parseSpecial: true });
    expect(parsed[0]).toBe(start);
    expect(parsed.at(-1)).toBe(end);
    expect(qwen.encode(text)).not.toContain(start);
    expect(qwen.decode(parsed)).toBe(text);
    expect(qwen.decode(parsed, { skipSpecial: true })).toBe('user\nhi');
    expect(qwen.isEog(end)).toBe(true);
    expect(qwen.eotId).toBe(end);
    expect(qwen.isEog(parsed[1]!)).toBe(false);
    expect(qwen.isSpecial(start)).toBe(true);
  });

  it.each<VocabName>(['llama-spm', 'llama-bpe', 'qwen2', 'gpt-2', 'phi-3', 'gemma-4', 'deepseek-llm'])(
    '%s: decode(encode(text)) === text and streaming equals decode',
    (name) => {
      const tok = load(name);
      for (const text of TEXTS) {
        const ids = tok.encode(text);
        expect(tok.decode(ids, { skipSpecial: true })).toBe(text);
        const stream = tok.createStreamDecoder({ skipSpecial: true });
        const parts = ids.map((id) => stream.push(id));
        parts.push(stream.flush());
        expect(parts.join('')).toBe(text);
        for (const p of parts) {
          expect(p.includes('\ufffd') && !text.includes('\ufffd')).toBe(false);
          expect(/[\ud800-\udbff]$/.test(p)).toBe(false);
        }
      }
    },
  );

  it('gives pieces of single tokens', () => {
    expect(spmTok.tokenToPiece(spmTok.vocab.tokenToId.get('▁Hello')!)).toBe(' Hello');
    expect(spmTok.tokenToPiece(spmTok.vocab.tokenToId.get('<0x0A>')!)).toBe('\n');
    expect(qwen.tokenToPiece(qwen.vocab.tokenToId.get('Ġworld')!)).toBe(' world');
    expect(Array.from(qwen.tokenBytes(qwen.vocab.tokenToId.get('Ġ')!))).toEqual([0x20]);
  });
});

describe('Tokenizer: typed errors', () => {
  const codeOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return (err as { code?: string }).code;
    }
    return 'no error';
  };

  it('rejects bad token ids', () => {
    const tok = load('gpt-2');
    for (const id of [-1, tok.vocabSize, 1.5, Number.NaN]) {
      expect(codeOf(() => tok.decode([id]))).toBe('DTE_ERR_TOKENIZER_BAD_TOKEN_ID');
      expect(codeOf(() => tok.tokenToPiece(id))).toBe('DTE_ERR_TOKENIZER_BAD_TOKEN_ID');
      expect(codeOf(() => tok.createStreamDecoder().push(id))).toBe('DTE_ERR_TOKENIZER_BAD_TOKEN_ID');
    }
    expect(codeOf(() => tok.encode(42 as unknown as string))).toBe('DTE_ERR_TOKENIZER_BAD_INPUT');
    expect(codeOf(() => tok.decode(7 as unknown as number[]))).toBe('DTE_ERR_TOKENIZER_BAD_INPUT');
    expect(codeOf(() => tok.decode(null as unknown as number[]))).toBe('DTE_ERR_TOKENIZER_BAD_INPUT');
    expect(tok.decode(Int32Array.of(15496))).toBe('Hello');
  });

  it('rejects bad or unsupported metadata', () => {
    const base = (): Map<string, GgufValue> =>
      new Map<string, GgufValue>([
        ['tokenizer.ggml.model', 'gpt2'],
        ['tokenizer.ggml.pre', 'gpt-2'],
        ['tokenizer.ggml.tokens', ['a', 'b', 'ab']],
        ['tokenizer.ggml.merges', ['a b']],
      ]);
    const make = (edit: (m: Map<string, GgufValue>) => void) => () => {
      const m = base();
      edit(m);
      return Tokenizer.fromGguf({ metadata: m });
    };
    expect(make(() => {})().encode('ab')).toEqual([2]);
    expect(codeOf(make((m) => m.delete('tokenizer.ggml.model')))).toBe('DTE_ERR_TOKENIZER_BAD_METADATA');
    expect(codeOf(() => Tokenizer.fromGguf({ metadata: {} as never }))).toBe('DTE_ERR_TOKENIZER_BAD_METADATA');
    expect(codeOf(make((m) => m.set('tokenizer.ggml.model', 'bert')))).toBe('DTE_ERR_TOKENIZER_UNSUPPORTED');
    expect(codeOf(make((m) => m.set('tokenizer.ggml.pre', 'no-such-pre')))).toBe('DTE_ERR_TOKENIZER_UNSUPPORTED');
    expect(codeOf(make((m) => m.set('tokenizer.ggml.tokens', [1, 2] as unknown as string[])))).toBe(
      'DTE_ERR_TOKENIZER_BAD_METADATA',
    );
    expect(codeOf(make((m) => m.set('tokenizer.ggml.tokens', [])))).toBe('DTE_ERR_TOKENIZER_BAD_METADATA');
    expect(codeOf(make((m) => m.delete('tokenizer.ggml.merges')))).toBe('DTE_ERR_TOKENIZER_BAD_METADATA');
    expect(codeOf(make((m) => m.set('tokenizer.ggml.scores', new Float32Array(1))))).toBe(
      'DTE_ERR_TOKENIZER_BAD_METADATA',
    );
    expect(codeOf(make((m) => m.set('tokenizer.ggml.token_type', Float32Array.of(1, 1, 1))))).toBe(
      'DTE_ERR_TOKENIZER_BAD_METADATA',
    );
    expect(codeOf(make((m) => m.set('tokenizer.ggml.add_bos_token', 1)))).toBe('DTE_ERR_TOKENIZER_BAD_METADATA');
    expect(codeOf(make((m) => m.set('tokenizer.ggml.bos_token_id', 'x')))).toBe('DTE_ERR_TOKENIZER_BAD_METADATA');
  });
});
