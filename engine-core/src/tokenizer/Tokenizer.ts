import { EngineError } from '../EngineError.ts';
import type { GgufFile } from '../gguf/GgufFile.ts';
import { BpeWordEncoder } from './BpeWordEncoder.ts';
import { BYTE_TO_CHAR, CHAR_TO_BYTE } from './byteLevel.ts';
import { compileStep, type PreTokenizerStep, splitWords, splitWordsByRegexes } from './preTokenize.ts';
import { StreamDecoder } from './StreamDecoder.ts';
import { splitSpecial } from './splitSpecial.ts';
import { spmEncode } from './spmEncode.ts';
import { SPECIAL_ATTRS, TOKEN_ATTR } from './TOKEN_ATTR.ts';
import { readTokenizerVocab, type TokenizerVocab } from './TokenizerVocab.ts';
import { codepoints } from './unicodeFlags.ts';

/** Options of {@link Tokenizer.encode}. */
export interface EncodeOptions {
  /** Prepend BOS; default: the GGUF's `add_bos_token` (or the model type's default). */
  addBos?: boolean;
  /** Append EOS; default: the GGUF's `add_eos_token` (false when absent). */
  addEos?: boolean;
  /** Recognise control tokens such as `<|im_start|>` written in the text; default false. */
  parseSpecial?: boolean;
}

/** Options of {@link Tokenizer.decode} and {@link Tokenizer.createStreamDecoder}. */
export interface DecodeOptions {
  /** Render control and unknown tokens (BOS, EOS, `<|im_end|>`...) as nothing; default false. */
  skipSpecial?: boolean;
}

const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * A tokenizer built from GGUF metadata that produces exactly llama.cpp's ids: SentencePiece-BPE
 * (`tokenizer.ggml.model = llama`), byte-level BPE (`gpt2`) with llama.cpp's pre-tokenizers
 * (llama3, qwen2, gpt-2, starcoder/smollm, deepseek, tekken, gpt-4o, ...: see `supportedPreNames`),
 * and Gemma 4's raw-UTF-8 BPE (`gemma4`).
 *
 * Decoding is the inverse of encoding: `decode(encode(text)) === text` for any text without special
 * token strings (and, for SPM, without a literal `▁`, which SPM cannot tell from a space). Unlike
 * llama.cpp's detokenizer it applies no "clean spaces" heuristics; with SPM's dummy prefix it drops
 * the one space that encoding adds at the start and after each special token.
 * @example
 * const tok = Tokenizer.fromGguf(readGguf('model.gguf'));
 * const ids = tok.encode('Hello world'); // [1, 15043, 3186] for Llama 2
 * tok.decode(ids, { skipSpecial: true }) === 'Hello world';
 */
export class Tokenizer {
  readonly vocab: TokenizerVocab;
  private readonly bpe: BpeWordEncoder | undefined;
  private readonly pieceCache: (Uint8Array | undefined)[];
  private readonly preSteps: readonly PreTokenizerStep[] | undefined;

  constructor(vocab: TokenizerVocab) {
    this.vocab = vocab;
    this.bpe = vocab.model === 'bpe' ? new BpeWordEncoder(vocab) : undefined;
    this.pieceCache = new Array(vocab.tokens.length);
    this.preSteps = vocab.preRegexes?.map(compileStep);
  }

  /** Reads `tokenizer.ggml.*` from a parsed GGUF file; throws `DTE_ERR_TOKENIZER_*` on bad metadata. */
  static fromGguf(file: Pick<GgufFile, 'metadata'>): Tokenizer {
    if (!(file?.metadata instanceof Map)) {
      throw new EngineError(
        'DTE_ERR_TOKENIZER_BAD_METADATA',
        'Tokenizer.fromGguf: expected a GgufFile with a metadata Map',
      );
    }
    return new Tokenizer(readTokenizerVocab(file.metadata));
  }

  get vocabSize(): number {
    return this.vocab.tokens.length;
  }
  /** BOS id, -1 when the vocabulary has none. */
  get bosId(): number {
    return this.vocab.bosId;
  }
  /** EOS id, -1 when the vocabulary has none. */
  get eosId(): number {
    return this.vocab.eosId;
  }
  /** End-of-turn id (`<|eot_id|>`, `<|im_end|>`, ...), undefined when none. */
  get eotId(): number | undefined {
    return this.vocab.eotId >= 0 ? this.vocab.eotId : undefined;
  }

  /** True for every end-of-generation token (EOS, EOT, EOM and llama.cpp's list). */
  isEog(id: number): boolean {
    return this.vocab.eogIds.has(id);
  }

  /** True for control, user-defined and unknown tokens. */
  isSpecial(id: number): boolean {
    this.checkId(id, 'isSpecial');
    return (this.vocab.attrs[id]! & SPECIAL_ATTRS) !== 0;
  }

  /** Token ids of `text` (see {@link EncodeOptions}). */
  encode(text: string, options: EncodeOptions = {}): number[] {
    if (typeof text !== 'string') {
      throw new EngineError(
        'DTE_ERR_TOKENIZER_BAD_INPUT',
        `Tokenizer.encode: text must be a string, got ${typeof text}`,
      );
    }
    const v = this.vocab;
    const addBos = options.addBos ?? v.addBos;
    const addEos = options.addEos ?? v.addEos;
    if ((addBos && v.bosId < 0) || (addEos && v.eosId < 0)) {
      throw new EngineError(
        'DTE_ERR_TOKENIZER_BAD_INPUT',
        'Tokenizer.encode: the vocabulary has no BOS/EOS token to add',
      );
    }
    const out: number[] = [];
    if (addBos) out.push(v.bosId);
    let prevSpecial = true;
    for (const frag of splitSpecial(v, text, options.parseSpecial ?? false)) {
      if (frag.text === undefined) {
        out.push(frag.token);
        prevSpecial = true;
        continue;
      }
      if (this.bpe) this.encodeBpe(frag.text, out);
      else spmEncode(v, (v.addSpacePrefix && prevSpecial ? ` ${frag.text}` : frag.text).replaceAll(' ', '▁'), out);
      prevSpecial = false;
    }
    if (addEos) out.push(v.eosId);
    return out;
  }

  private encodeBpe(text: string, out: number[]): void {
    const raw = this.vocab.rawUtf8;
    const cps = codepoints(raw ? text.replaceAll(' ', '▁') : text);
    const ends = this.preSteps ? splitWordsByRegexes(cps, this.preSteps) : splitWords(cps, this.vocab.preTokenizer!);
    let start = 0;
    for (const end of ends) {
      let word = '';
      if (raw) {
        word = String.fromCodePoint(...cps.subarray(start, end));
      } else {
        for (let i = start; i < end; i++) {
          const cp = cps[i]!;
          if (cp < 0x80) word += BYTE_TO_CHAR[cp];
          else for (const b of encoder.encode(String.fromCodePoint(cp))) word += BYTE_TO_CHAR[b];
        }
      }
      this.bpe!.encode(word, out);
      start = end;
    }
  }

  /** Text of `ids` (see {@link DecodeOptions}); invalid UTF-8 from byte tokens becomes U+FFFD. */
  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    if (ids === null || typeof ids !== 'object' || typeof ids.length !== 'number') {
      throw new EngineError('DTE_ERR_TOKENIZER_BAD_INPUT', 'Tokenizer.decode: ids must be an array of token ids');
    }
    // One UTF-8 decode of all the bytes: the same text a StreamDecoder would give, piece by piece.
    const skipSpecial = options.skipSpecial ?? false;
    let buf = new Uint8Array(Math.max(16, ids.length * 4));
    let n = 0;
    let afterSpecial = true;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const piece = this.pieceFor(id, skipSpecial, afterSpecial);
      afterSpecial = (this.vocab.attrs[id]! & SPECIAL_ATTRS) !== 0;
      if (n + piece.length > buf.length) {
        const grown = new Uint8Array(Math.max(buf.length * 2, n + piece.length));
        grown.set(buf.subarray(0, n));
        buf = grown;
      }
      buf.set(piece, n);
      n += piece.length;
    }
    return decoder.decode(buf.subarray(0, n));
  }

  /** Incremental decoder: each `push` returns only complete characters (see {@link StreamDecoder}). */
  createStreamDecoder(options: DecodeOptions = {}): StreamDecoder {
    return new StreamDecoder(this, options.skipSpecial ?? false);
  }

  /** The piece of one token as text, special tokens rendered (a lone byte token gives U+FFFD). */
  tokenToPiece(id: number): string {
    return decoder.decode(this.tokenBytes(id));
  }

  /** The raw UTF-8 bytes one token stands for (special tokens rendered as their text). */
  tokenBytes(id: number): Uint8Array {
    this.checkId(id, 'tokenBytes');
    let bytes = this.pieceCache[id];
    if (bytes === undefined) {
      bytes = this.computeBytes(id);
      this.pieceCache[id] = bytes;
    }
    return bytes;
  }

  /** @internal Used by StreamDecoder: piece bytes honouring skipSpecial and the SPM dummy prefix. */
  pieceFor(id: number, skipSpecial: boolean, afterSpecial: boolean): Uint8Array {
    const attr = this.vocab.attrs[id];
    if (attr === undefined || !Number.isInteger(id)) this.checkId(id, 'decode');
    if (skipSpecial && attr! & (TOKEN_ATTR.CONTROL | TOKEN_ATTR.UNKNOWN)) return EMPTY;
    const bytes = this.tokenBytes(id);
    if (afterSpecial && this.vocab.addSpacePrefix && attr! & TOKEN_ATTR.NORMAL && bytes[0] === 0x20) {
      return bytes.subarray(1);
    }
    return bytes;
  }

  private computeBytes(id: number): Uint8Array {
    const v = this.vocab;
    const attr = v.attrs[id]!;
    const text = v.tokens[id]!;
    if (attr & (SPECIAL_ATTRS | TOKEN_ATTR.USER_DEFINED)) return encoder.encode(text);
    if (attr & TOKEN_ATTR.NORMAL) {
      if (v.model === 'spm' || v.rawUtf8) return encoder.encode(text.replaceAll('▁', ' '));
      const out: number[] = [];
      for (const ch of text) {
        const c = ch.charCodeAt(0);
        const b = ch.length === 1 && c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c]! : -1;
        if (b >= 0) out.push(b);
        else for (const x of encoder.encode(ch)) out.push(x);
      }
      return Uint8Array.from(out);
    }
    if (attr & TOKEN_ATTR.BYTE) {
      const m = /^<0x([0-9A-Fa-f]{2})>$/.exec(text);
      return m ? Uint8Array.of(Number.parseInt(m[1]!, 16)) : encoder.encode(text);
    }
    return EMPTY; // undefined / unused tokens render as nothing, as in llama.cpp
  }

  private checkId(id: number, method: string): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocab.tokens.length) {
      throw new EngineError(
        'DTE_ERR_TOKENIZER_BAD_TOKEN_ID',
        `Tokenizer.${method}: token id ${String(id)} is outside [0, ${this.vocab.tokens.length})`,
      );
    }
  }
}
