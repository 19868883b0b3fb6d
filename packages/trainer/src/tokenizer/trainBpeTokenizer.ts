import { TrainerError } from '../TrainerError.ts';
import { SpmBpeEncoder, splitWords } from './SpmBpeEncoder.ts';
import { bytePiece, SPACE, type SpmVocab, TOKEN_TYPE } from './SpmVocab.ts';

/** Options of {@link trainBpeTokenizer}. */
export interface BpeTrainOptions {
  /** Total vocabulary size: 3 specials + 256 bytes + characters + merges. */
  vocabSize: number;
  /** Characters seen fewer times are left to byte fallback (default 1: keep all). */
  minCharCount?: number;
  /** Characters always kept as pieces (default: the digits, so option labels are one token each). */
  requiredChars?: string;
  /**
   * Never merge a digit with anything (SentencePiece's `split_digits`, as in Llama's tokenizer): numbers
   * are read digit by digit, so "84%" and "86%" share their tens digit instead of being two unrelated
   * pieces a small model must learn one by one. Default false.
   */
  splitDigits?: boolean;
}

const DIGIT = /[0-9]/;

const SPECIALS = ['<unk>', '<s>', '</s>'] as const;

/**
 * Trains a SentencePiece-style BPE vocabulary with byte fallback on `texts`: ids 0–2 are `<unk>`, `<s>`,
 * `</s>`; 3–258 the byte pieces `<0x00>`…`<0xFF>`; then the corpus's characters (most frequent first);
 * then merges. Words are the `▁`-prefixed runs of the escaped text (spaces → `▁`, one in front), so no
 * piece spans a word boundary; each round merges the most frequent adjacent pair (ties: the smaller
 * pair text), and merge r gets score −r, so earlier merges win at encoding time. Deterministic.
 * @example const { vocab, encoder } = trainBpeTokenizer(texts, { vocabSize: 512 })
 */
export function trainBpeTokenizer(
  texts: readonly string[],
  options: BpeTrainOptions,
): { vocab: SpmVocab; encoder: SpmBpeEncoder } {
  const minCharCount = options.minCharCount ?? 1;
  const required = options.requiredChars ?? '0123456789';
  const splitDigits = options.splitDigits ?? false;
  const wordCounts = new Map<string, number>();
  for (const t of texts) {
    if (t.length === 0) continue;
    for (const w of splitWords(` ${t}`.replaceAll(' ', SPACE))) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
  }
  const charCounts = new Map<string, number>();
  for (const [w, c] of wordCounts) for (const ch of w) charCounts.set(ch, (charCounts.get(ch) ?? 0) + c);
  for (const ch of required + SPACE) if (!charCounts.has(ch)) charCounts.set(ch, 0);
  const chars = [...charCounts]
    .filter(([ch, c]) => c >= minCharCount || required.includes(ch) || ch === SPACE)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([ch]) => ch);
  const base = SPECIALS.length + 256 + chars.length;
  if (!Number.isInteger(options.vocabSize) || options.vocabSize < base)
    throw new TrainerError(
      'DTE_ERR_TRAINER_BAD_OPTIONS',
      `trainBpeTokenizer: vocabSize must be an integer ≥ ${base} (specials, bytes and characters)`,
    );
  const known = new Set(chars);
  // Words as symbol arrays; characters that are no piece stay single symbols that never merge.
  const words = [...wordCounts].map(([w, count]) => ({ syms: [...w], count }));
  const merges: string[] = [];
  const pieceSet = new Set(chars);
  while (base + merges.length < options.vocabSize) {
    const pairs = new Map<string, number>();
    for (const { syms, count } of words) {
      for (let i = 0; i + 1 < syms.length; i++) {
        const a = syms[i]!;
        const b = syms[i + 1]!;
        if (!known.has(a[0]!) || !known.has(b[0]!)) continue;
        if (!pieceSet.has(a) || !pieceSet.has(b)) continue;
        if (splitDigits && (DIGIT.test(a) || DIGIT.test(b))) continue;
        const key = `${a}\u0000${b}`;
        pairs.set(key, (pairs.get(key) ?? 0) + count);
      }
    }
    let bestKey = '';
    let bestCount = 0;
    for (const [key, c] of pairs) {
      if (pieceSet.has(key.replace('\u0000', ''))) continue;
      if (c > bestCount || (c === bestCount && key < bestKey)) {
        bestKey = key;
        bestCount = c;
      }
    }
    if (bestCount < 2) break;
    const [a, b] = bestKey.split('\u0000') as [string, string];
    const merged = a + b;
    merges.push(merged);
    pieceSet.add(merged);
    for (const w of words) {
      const s = w.syms;
      for (let i = 0; i + 1 < s.length; i++) if (s[i] === a && s[i + 1] === b) s.splice(i, 2, merged);
    }
  }
  const pieces = [...SPECIALS, ...Array.from({ length: 256 }, (_, b) => bytePiece(b)), ...chars, ...merges];
  const scores = new Float32Array(pieces.length);
  const types = new Int32Array(pieces.length).fill(TOKEN_TYPE.NORMAL);
  types[0] = TOKEN_TYPE.UNKNOWN;
  types[1] = TOKEN_TYPE.CONTROL;
  types[2] = TOKEN_TYPE.CONTROL;
  for (let b = 0; b < 256; b++) types[3 + b] = TOKEN_TYPE.BYTE;
  merges.forEach((_, r) => {
    scores[base + r] = -r;
  });
  chars.forEach((_, i) => {
    scores[3 + 256 + i] = -(merges.length + i);
  });
  const vocab: SpmVocab = { pieces, scores, types, unkId: 0, bosId: 1, eosId: 2 };
  return { vocab, encoder: new SpmBpeEncoder(vocab) };
}
