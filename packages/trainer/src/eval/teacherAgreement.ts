import { type LoadedModel, singleSequenceBatch } from '@dte/engine-core';
import { type CorpusRecord, optionCount } from '../corpus/CorpusRecord.ts';
import { TrainerError } from '../TrainerError.ts';

/** Agreement with the teacher on choice records, overall and by what the teacher chose. */
export interface TeacherAgreement {
  /** Agreeing choices ÷ choices (NaN when there is none). */
  agreement: number;
  choices: number;
  /** The first word of the teacher's option (`drink`, `eat`, `explore`) → [agreeing choices, choices]. */
  byKind: Record<string, [number, number]>;
}

/** Last-position logits of `prompt` (with `<s>`, as the engine encodes it) through a loaded model. */
export async function promptLogits(loaded: LoadedModel, prompt: string): Promise<Float32Array> {
  const ids = loaded.tokenizer.encode(prompt);
  const { blockSize, numBlocks } = loaded.config;
  const blocks = Math.ceil(ids.length / blockSize);
  if (blocks > numBlocks)
    throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', `promptLogits: ${ids.length} tokens exceed the KV cache`);
  return loaded.model.forward(singleSequenceBatch(ids, 0, blocks));
}

/** The option a choice prompt numbers `k` (1-based), without its number. */
function optionText(prompt: string, k: number): string {
  const at = prompt.lastIndexOf('\nOptions:\n');
  const line = prompt
    .slice(at + 1)
    .split('\n')
    .find((l) => l.startsWith(`${k}. `));
  return line ? line.slice(`${k}. `.length) : '';
}

/**
 * Imitation accuracy on a corpus's exact prompts: the fraction of choice records whose highest-logit
 * option digit (among the prompt's 1 … n, the tokens `EngineChooser` allows; `digitIds` from
 * `chooserDigitIds`) is the teacher's answer — the greedy choice of the model as the agents ask it.
 * Uses the model's KV cache: run it while no engine over `loaded` is working.
 * @example const { agreement } = await teacherAgreement(loaded, heldOut, chooserDigitIds(vocab))
 */
export async function teacherAgreement(
  loaded: LoadedModel,
  records: readonly CorpusRecord[],
  digitIds: readonly number[],
): Promise<TeacherAgreement> {
  let agree = 0;
  let choices = 0;
  const byKind: Record<string, [number, number]> = {};
  for (const r of records) {
    if (r.kind !== 'choice') continue;
    const n = optionCount(r.prompt);
    if (n < 1 || n > digitIds.length)
      throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', `teacherAgreement: a prompt with ${n} options`);
    const logits = await promptLogits(loaded, r.prompt);
    let best = 0;
    for (let i = 1; i < n; i++) if (logits[digitIds[i]!]! > logits[digitIds[best]!]!) best = i;
    const ok = best + 1 === Number(r.answer);
    const kind = optionText(r.prompt, Number(r.answer)).split(' ')[0] || '?';
    const k = byKind[kind] ?? [0, 0];
    byKind[kind] = k;
    k[1]++;
    choices++;
    if (ok) {
      k[0]++;
      agree++;
    }
  }
  return { agreement: choices ? agree / choices : Number.NaN, choices, byKind };
}
