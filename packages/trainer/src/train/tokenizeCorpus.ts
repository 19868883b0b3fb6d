import type { CorpusRecord } from '../corpus/CorpusRecord.ts';
import { chooserDigitIds } from '../tokenizer/chooserDigitIds.ts';
import type { SpmBpeEncoder } from '../tokenizer/SpmBpeEncoder.ts';

/**
 * One token stream for training: each record as `<s>` + prompt + answer + `</s>`. The answer is
 * encoded on its own (no space prefix), exactly as the engine produces it after the prompt: a choice
 * prompt ends in `option ` (→ `▁`) and its answer is the digit token `EngineChooser` (`@dte/aar`) allows (the
 * byte token `<0x3N>`, see {@link chooserDigitIds}).
 * @example const stream = tokenizeCorpus(records, encoder)
 */
export function tokenizeCorpus(records: readonly CorpusRecord[], encoder: SpmBpeEncoder): Int32Array {
  return tokenizeCorpusWithAnswers(records, encoder).tokens;
}

/**
 * {@link tokenizeCorpus} plus a mask marking answer tokens (the digit, or the narration and its `</s>`)
 * with 1: `trainLoop`'s `answerMask` can score only those (supervised fine-tuning style) or weight them.
 */
export function tokenizeCorpusWithAnswers(
  records: readonly CorpusRecord[],
  encoder: SpmBpeEncoder,
): { tokens: Int32Array; isAnswer: Uint8Array } {
  const { bosId, eosId } = encoder.vocab;
  const digits = chooserDigitIds(encoder.vocab);
  const out: number[] = [];
  const mask: number[] = [];
  const push = (id: number, answer: boolean) => {
    out.push(id);
    mask.push(answer ? 1 : 0);
  };
  for (const r of records) {
    push(bosId, false);
    for (const id of encoder.encode(r.prompt)) push(id, false);
    if (r.kind === 'choice') push(digits[Number(r.answer) - 1]!, true);
    else for (const id of encoder.encode(r.answer, false)) push(id, true);
    push(eosId, r.kind === 'qa');
  }
  return { tokens: Int32Array.from(out), isAnswer: Uint8Array.from(mask) };
}
