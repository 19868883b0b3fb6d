import { ACTIONS, Action } from '@dte/arena';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../corpus/generateCorpus.ts';
import { situationOf } from './choiceAgreement.ts';

describe('situationOf', () => {
  const choices = generateCorpus({ seed: 3, episodes: 4, ticks: 60 }).filter((r) => r.kind === 'choice');

  it('names what is right in front and the expert action', () => {
    const seen = new Set(choices.map(situationOf));
    for (const r of choices) {
      const s = situationOf(r);
      expect(s.endsWith(`: ${ACTIONS[r.action!]}`)).toBe(true);
      // (Another agent may stand on the food in front: the view shows the agent.)
      if (r.action === Action.Eat) expect(['food: eat', 'agent: eat']).toContain(s);
      if (r.action === Action.Drink) expect(s).toBe('water: drink');
    }
    for (const s of ['open: forward', 'food: eat', 'water: drink']) expect(seen.has(s)).toBe(true);
    // Water blocks the way: the expert never walks forward into it.
    expect(seen.has('water: forward')).toBe(false);
  });
});
