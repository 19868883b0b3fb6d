import type { CorpusRecord } from '../corpus/generateCorpus.ts';
import { chooserDigitIds } from '../tokenizer/chooserDigitIds.ts';
import type { SpmBpeEncoder } from '../tokenizer/SpmBpeEncoder.ts';

/**
 * One token stream for training: each record as `<s>` + prompt + answer + `</s>`. The answer is
 * encoded on its own (no space prefix), exactly as the engine produces it after the prompt: a choice
 * prompt ends in `option ` (→ `▁`) and its answer is the digit token `ActionChooser` allows (the
 * byte token `<0x3N>`, see {@link chooserDigitIds}).
 * @example const stream = tokenizeCorpus(records, encoder)
 */
export function tokenizeCorpus(records: readonly CorpusRecord[], encoder: SpmBpeEncoder): Int32Array {
  const { bosId, eosId } = encoder.vocab;
  const digits = chooserDigitIds(encoder.vocab);
  const out: number[] = [];
  for (const r of records) {
    out.push(bosId);
    for (const id of encoder.encode(r.prompt)) out.push(id);
    if (r.kind === 'choice') out.push(digits[Number(r.answer) - 1]!);
    else for (const id of encoder.encode(r.answer, false)) out.push(id);
    out.push(eosId);
  }
  return Int32Array.from(out);
}
