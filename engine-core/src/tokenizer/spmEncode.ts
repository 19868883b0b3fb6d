import { BigramHeap } from './BigramHeap.ts';
import { byteFallback } from './byteFallback.ts';
import type { TokenizerVocab } from './TokenizerVocab.ts';

const heap = new BigramHeap();

/**
 * SentencePiece-BPE on one text fragment (spaces already escaped to `▁`), as llama.cpp's
 * `llm_tokenizer_spm_session`: start from single codepoints, repeatedly merge the adjacent pair whose
 * concatenation is the vocabulary token of highest score (ties: leftmost), then emit each symbol's
 * token, or its UTF-8 bytes as `<0xXX>` tokens when the symbol is not in the vocabulary.
 * @example spmEncode(vocab, '▁Hello', ids)
 */
export function spmEncode(vocab: TokenizerVocab, text: string, out: number[]): void {
  const len = text.length;
  if (len === 0) return;
  const start = new Int32Array(len);
  const size = new Int32Array(len);
  const prev = new Int32Array(len);
  const next = new Int32Array(len);
  let n = 0;
  for (let off = 0; off < len; ) {
    const c = text.charCodeAt(off);
    const w = c >= 0xd800 && c <= 0xdbff && off + 1 < len ? 2 : 1;
    start[n] = off;
    size[n] = w;
    prev[n] = n - 1;
    off += w;
    next[n] = off === len ? -1 : n + 1;
    n++;
  }
  const { tokenToId, scores } = vocab;
  heap.clear();
  const tryAdd = (left: number, right: number) => {
    if (left < 0 || right < 0) return;
    const s = start[left]!;
    const total = size[left]! + size[right]!;
    const id = tokenToId.get(text.substring(s, s + total));
    if (id === undefined) return;
    heap.push(-scores[id]!, left, right, total);
  };
  for (let i = 1; i < n; i++) tryAdd(i - 1, i);
  while (heap.pop()) {
    const left = heap.left;
    const right = heap.right;
    if (size[left] === 0 || size[right] === 0 || size[left]! + size[right]! !== heap.size) continue;
    size[left] = size[left]! + size[right]!;
    size[right] = 0;
    const after = next[right]!;
    next[left] = after;
    if (after >= 0) prev[after] = left;
    tryAdd(prev[left]!, left);
    tryAdd(left, after);
  }
  for (let i = 0; i !== -1; i = next[i]!) {
    const piece = text.substring(start[i]!, start[i]! + size[i]!);
    const id = tokenToId.get(piece);
    if (id !== undefined) out.push(id);
    else byteFallback(vocab, piece, out);
  }
}
