import { ActionChooser } from '@dte/aar';
import { ACTIONS } from '@dte/arena';
import type { AsyncEngine, LoadedModel } from '@dte/engine-core';
import type { CorpusRecord } from '../corpus/generateCorpus.ts';
import { promptLogits } from './modelPolicy.ts';

/**
 * Fraction of choice records whose highest-logit legal option digit (as `ActionChooser` constrains it)
 * is the scripted expert's: imitation accuracy on the exact prompts of a (held-out) corpus.
 */
export async function choiceAgreement(loaded: LoadedModel, records: readonly CorpusRecord[]): Promise<number> {
  const digits = new ActionChooser({} as AsyncEngine, loaded.tokenizer, ACTIONS).digitTokens();
  let agree = 0;
  let total = 0;
  for (const r of records) {
    if (r.kind !== 'choice' || !r.legal) continue;
    const logits = await promptLogits(loaded, r.prompt);
    let best = 0;
    for (let i = 1; i < r.legal.length; i++) if (logits[digits[i]!]! > logits[digits[best]!]!) best = i;
    if (best + 1 === Number(r.answer)) agree++;
    total++;
  }
  return total ? agree / total : 0;
}
