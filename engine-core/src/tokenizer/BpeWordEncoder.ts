import { BigramHeap } from './BigramHeap.ts';
import type { TokenizerVocab } from './TokenizerVocab.ts';

const MAX_CACHE = 50_000;

/**
 * Byte-level BPE on one pre-tokenized word (already mapped through GPT-2's byte→char table), as
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
    const { tokenToId, mergeRanks, ignoreMerges } = this.vocab;
    const out: number[] = [];
    const whole = tokenToId.get(word);
    if (ignoreMerges && whole !== undefined) return [whole];
    const n = word.length;
    if (n === 1 && whole !== undefined) return [whole];
    const size = new Int32Array(n).fill(1);
    const prev = new Int32Array(n);
    const next = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      prev[i] = i - 1;
      next[i] = i + 1 === n ? -1 : i + 1;
    }
    const heap = this.heap;
    heap.clear();
    // Symbols are contiguous runs of `word`; symbol i starts at offset i.
    const tryAdd = (left: number, right: number) => {
      if (left < 0 || right < 0) return;
      const rank = mergeRanks.get(`${word.substring(left, right)} ${word.substring(right, right + size[right]!)}`);
      if (rank === undefined) return;
      heap.push(rank, left, right, size[left]! + size[right]!);
    };
    for (let i = 1; i < n; i++) tryAdd(i - 1, i);
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
    for (let i = 0; i !== -1; i = next[i]!) {
      const piece = word.substring(i, i + size[i]!);
      const id = tokenToId.get(piece);
      if (id !== undefined) {
        out.push(id);
        continue;
      }
      // llama.cpp looks each UTF-8 byte of the unmatched piece up as a one-byte token: only ASCII can hit.
      for (let k = 0; k < piece.length; k++) {
        const c = piece.charCodeAt(k);
        const b = c < 0x80 ? tokenToId.get(piece[k]!) : undefined;
        if (b !== undefined) out.push(b);
      }
    }
    return out;
  }
}
