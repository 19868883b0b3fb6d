import { ActionChooser } from '@dte/aar';
import { ACTIONS } from '@dte/arena';
import type { AsyncEngine, LoadedModel } from '@dte/engine-core';
import type { CorpusRecord } from '../corpus/generateCorpus.ts';
import { bestOption, promptLogits } from './modelPolicy.ts';

/** Agreement with the expert, overall and per situation (see {@link situationOf}). */
export interface ChoiceAgreement {
  agreement: number;
  /** situation → [agreeing choices, choices] */
  bySituation: Record<string, [number, number]>;
}

/**
 * The situation of a choice record, for breaking agreement down: what is right in front (food, water,
 * hazard, agent, wall or nothing) and the expert's action, e.g. `water: drink` or `hazard: turn_left`.
 */
export function situationOf(r: CorpusRecord): string {
  const now = r.prompt.split('\n').find((l) => l.startsWith('Now: ')) ?? '';
  const m = /(food|water|a hazard|another agent|a wall) right in front/.exec(now);
  const front = m
    ? { food: 'food', water: 'water', 'a hazard': 'hazard', 'another agent': 'agent', 'a wall': 'wall' }[m[1]!]
    : 'open';
  return `${front}: ${ACTIONS[r.action ?? 0]}`;
}

/**
 * Fraction of choice records whose highest-logit legal option digit (as `ActionChooser` constrains it)
 * is the scripted expert's: imitation accuracy on the exact prompts of a (held-out) corpus, overall and
 * per situation. The expert is a pure function of its observation, which the prompt describes, so
 * every one of its choices can in principle be predicted from the prompt.
 */
export async function choiceAgreementBySituation(
  loaded: LoadedModel,
  records: readonly CorpusRecord[],
): Promise<ChoiceAgreement> {
  const digits = new ActionChooser({} as AsyncEngine, loaded.tokenizer, ACTIONS).digitTokens();
  let agree = 0;
  let total = 0;
  const bySituation: Record<string, [number, number]> = {};
  for (const r of records) {
    if (r.kind !== 'choice' || !r.legal) continue;
    const logits = await promptLogits(loaded, r.prompt);
    const ok = bestOption(logits, digits, r.legal.length) + 1 === Number(r.answer);
    const key = situationOf(r);
    const s = bySituation[key] ?? [0, 0];
    bySituation[key] = s;
    s[1]++;
    if (ok) {
      s[0]++;
      agree++;
    }
    total++;
  }
  return { agreement: total ? agree / total : 0, bySituation };
}

/** Overall agreement of {@link choiceAgreementBySituation}. */
export async function choiceAgreement(loaded: LoadedModel, records: readonly CorpusRecord[]): Promise<number> {
  return (await choiceAgreementBySituation(loaded, records)).agreement;
}
