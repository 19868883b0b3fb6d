import { SPACE, type SpmVocab, TOKEN_TYPE } from './SpmVocab.ts';

const utf8 = new TextEncoder();

/**
 * SentencePiece-BPE segmentation with byte fallback, the algorithm llama.cpp (and the engine's
 * `Tokenizer`) runs on `tokenizer.ggml.model = "llama"` vocabularies: spaces become `▁` (plus one in
 * front with the space prefix), then the adjacent pair whose concatenation is the piece of highest
 * score is merged, leftmost first, until none is; symbols that are no piece become `<0xXX>` bytes.
 * Pieces never hold `▁` past their first character, so each `▁`-word is encoded alone and cached.
 * @example new SpmBpeEncoder(vocab).encode('You face north.')
 */
export class SpmBpeEncoder {
  private readonly ids = new Map<string, number>();
  private readonly cache = new Map<string, number[]>();
  private readonly byteIds = new Int32Array(256).fill(-1);

  constructor(readonly vocab: SpmVocab) {
    vocab.pieces.forEach((p, id) => {
      if (vocab.types[id] === TOKEN_TYPE.NORMAL) this.ids.set(p, id);
      else if (vocab.types[id] === TOKEN_TYPE.BYTE) this.byteIds[Number.parseInt(p.slice(3, 5), 16)] = id;
    });
  }

  /** Token ids of `text` (no BOS). `addSpacePrefix` (default true) is llama's `add_space_prefix`. */
  encode(text: string, addSpacePrefix = true): number[] {
    const out: number[] = [];
    if (text.length === 0) return out;
    const escaped = (addSpacePrefix ? ` ${text}` : text).replaceAll(' ', SPACE);
    for (const word of splitWords(escaped)) {
      let ids = this.cache.get(word);
      if (!ids) {
        ids = this.encodeWord(word);
        this.cache.set(word, ids);
      }
      for (const id of ids) out.push(id);
    }
    return out;
  }

  /** The pieces of `text`, as strings (bytes as `<0xXX>`). */
  pieces(text: string, addSpacePrefix = true): string[] {
    return this.encode(text, addSpacePrefix).map((id) => this.vocab.pieces[id]!);
  }

  private encodeWord(word: string): number[] {
    const syms = [...word];
    const { scores } = this.vocab;
    for (;;) {
      let best = -1;
      let bestScore = -Infinity;
      for (let i = 0; i + 1 < syms.length; i++) {
        const id = this.ids.get(syms[i]! + syms[i + 1]!);
        if (id !== undefined && scores[id]! > bestScore) {
          best = i;
          bestScore = scores[id]!;
        }
      }
      if (best < 0) break;
      syms.splice(best, 2, syms[best]! + syms[best + 1]!);
    }
    const out: number[] = [];
    for (const s of syms) {
      const id = this.ids.get(s);
      if (id !== undefined) out.push(id);
      else for (const b of utf8.encode(s)) out.push(this.byteId(b));
    }
    return out;
  }

  private byteId(b: number): number {
    const id = this.byteIds[b]!;
    return id < 0 ? this.vocab.unkId : id;
  }
}

/** Splits an escaped text before every `▁` (a `▁` begins a word; text before the first one is a word). */
export function splitWords(escaped: string): string[] {
  const words: string[] = [];
  let start = 0;
  for (let i = 1; i < escaped.length; i++) {
    if (escaped[i] === SPACE) {
      words.push(escaped.slice(start, i));
      start = i;
    }
  }
  words.push(escaped.slice(start));
  return words;
}
