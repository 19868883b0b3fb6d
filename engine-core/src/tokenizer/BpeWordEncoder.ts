import { BigramHeap } from './BigramHeap.ts';
import type { TokenizerVocab } from './TokenizerVocab.ts';

const encoder = new TextEncoder();
const HEX = '0123456789ABCDEF';

const MAX_CACHE = 50_000;

/**
 * BPE on one pre-tokenized word (mapped through GPT-2's byte→char table, or raw UTF-8 for gemma4), as
 * llama.cpp's `llm_tokenizer_bpe_session`: start from single characters and repeatedly apply the
 * adjacent merge of lowest rank (ties: leftmost). Results are cached per word, so repeated words
 * cost one map lookup.
 * @example new BpeWordEncoder(vocab).encode('ĠHello', ids)
 */
export class BpeWordEncoder {
  private readonly cache = new Map<string, readonly number[]>();
  private readonly heap = new BigramHeap();

  constructor(private readonly vocab: TokenizerVocab) {}

  /** Appends the ids of `word` to `out`. */
  encode(word: string, out: number[]): void {
    let ids = this.cache.get(word);
    if (ids === undefined) {
      ids = this.merge(word);
      if (this.cache.size >= MAX_CACHE) this.cache.clear();
      this.cache.set(word, ids);
    }
    for (const id of ids) out.push(id);
  }

  private merge(word: string): number[] {
    const { tokenToId, mergeRanks, ignoreMerges, rawUtf8 } = this.vocab;
    const whole = tokenToId.get(word);
    if (whole !== undefined && (ignoreMerges || (rawUtf8 && /^\n+$/.test(word)))) return [whole];
    const n = word.length;
    // Symbols are contiguous runs of `word`, named by their start offset; they start as single
    // characters (a surrogate pair is one character: its second half is never a symbol).
    const size = new Int32Array(n);
    const prev = new Int32Array(n);
    const next = new Int32Array(n);
    let last = -1;
    for (let i = 0; i < n; ) {
      const c = word.charCodeAt(i);
      const w = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
      size[i] = w;
      prev[i] = last;
      if (last >= 0) next[last] = i;
      last = i;
      i += w;
    }
    if (last >= 0) next[last] = -1;
    const heap = this.heap;
    heap.clear();
    const tryAdd = (left: number, right: number) => {
      if (left < 0 || right < 0) return;
      const rank = mergeRanks.get(`${word.substring(left, right)} ${word.substring(right, right + size[right]!)}`);
      if (rank === undefined) return;
      heap.push(rank, left, right, size[left]! + size[right]!);
    };
    if (n > 0) for (let i = 0; next[i]! >= 0; i = next[i]!) tryAdd(i, next[i]!);
    while (heap.pop()) {
      const left = heap.left;
      const right = heap.right;
      if (size[left] === 0 || size[right] === 0 || size[left]! + size[right]! !== heap.size) continue;
      size[left] = heap.size;
      size[right] = 0;
      const after = next[right]!;
      next[left] = after;
      if (after >= 0) prev[after] = left;
      tryAdd(prev[left]!, left);
      tryAdd(left, after);
    }
    const out: number[] = [];
    for (let i = n > 0 ? 0 : -1; i !== -1; i = next[i]!) {
      const piece = word.substring(i, i + size[i]!);
      const id = tokenToId.get(piece);
      if (id !== undefined) out.push(id);
      else unknownPiece(this.vocab, piece, out);
    }
    return out;
  }
}

/**
 * What llama.cpp does with a merged piece that is not a token: look each UTF-8 byte up as a one-byte
 * token (byte-level BPE: only ASCII can hit) or as `<0xXX>` (raw UTF-8 BPE), skipping misses.
 */
function unknownPiece(vocab: TokenizerVocab, piece: string, out: number[]): void {
  for (const b of encoder.encode(piece)) {
    const id = vocab.rawUtf8
      ? vocab.tokenToId.get(`<0x${HEX[b >> 4]}${HEX[b & 15]}>`)
      : vocab.tokenToId.get(String.fromCharCode(b));
    if (id !== undefined && (vocab.rawUtf8 || b < 0x80)) out.push(id);
  }
}
