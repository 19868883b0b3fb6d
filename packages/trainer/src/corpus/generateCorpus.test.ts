import { ActionChooser } from '@dte/aar';
import { ACTIONS, Action, expertPolicy, ForagingArena } from '@dte/arena';
import type { AsyncEngine, Tokenizer } from '@dte/engine-core';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from './generateCorpus.ts';
import { HEALTH_WORDS, HUNGER_WORDS, level, THIRST_WORDS } from './narrate.ts';
import { renderChoicePrompt } from './renderChoicePrompt.ts';

describe('generateCorpus', () => {
  const records = generateCorpus({ seed: 7, episodes: 3, ticks: 40 });

  it('is deterministic from the seed and changes with it', () => {
    expect(generateCorpus({ seed: 7, episodes: 3, ticks: 40 })).toEqual(records);
    const other = generateCorpus({ seed: 8, episodes: 3, ticks: 40 });
    expect(other.map((r) => r.prompt)).not.toEqual(records.map((r) => r.prompt));
  });

  it('renders choices exactly as ActionChooser.prompt, answered with the expert option digit', () => {
    const chooser = new ActionChooser({} as AsyncEngine, {} as Tokenizer, ACTIONS);
    const choices = records.filter((r) => r.kind === 'choice');
    expect(choices.length).toBe(3 * 40 * 2);
    for (const r of choices) {
      const context = r.prompt.slice(0, r.prompt.indexOf('\nOptions:\n'));
      expect(chooser.prompt({ context, legal: r.legal! })).toBe(r.prompt);
      expect(renderChoicePrompt(context, r.legal!, ACTIONS)).toBe(r.prompt);
      expect(r.prompt.endsWith('I choose option ')).toBe(true);
      expect(r.legal![Number(r.answer) - 1]).toBe(r.action);
      expect(r.prompt).toContain(`${r.answer}. ${ACTIONS[r.action!]}`);
      expect(r.prompt.startsWith(`You are ${r.agent}, `)).toBe(true);
    }
    // The expert does more than walk: every action kind except "stay" shows up.
    const kinds = new Set(choices.map((r) => r.action));
    for (const a of [1, 2, 3, 4, 5]) expect(kinds.has(a)).toBe(true);
  });

  it('labels every choice with the expert: eats or drinks what is in front when needy, never walks into a hazard or an agent, one answer per observation', () => {
    const choices = generateCorpus({ seed: 7, episodes: 8, ticks: 60 }).filter((r) => r.kind === 'choice');
    const now = (r: (typeof choices)[number]) => r.prompt.split('\n').find((l) => l.startsWith('Now: '))!;
    const body = (r: (typeof choices)[number]) => {
      const m = /Energy (\d+)%, hydration (\d+)%/.exec(now(r))!;
      return { energy: Number(m[1]), hydration: Number(m[2]) };
    };
    const seen = { eat: 0, sated: 0, drink: 0, quenched: 0, blocked: 0 };
    for (const r of choices) {
      const { energy, hydration } = body(r);
      // The expert needs a resource below 85%; the prompt rounds, so 85% itself could be either side.
      if (/You see food right in front/.test(now(r))) {
        if (energy < 85) {
          seen.eat++;
          expect(r.action, now(r)).toBe(Action.Eat);
        } else if (energy > 85) {
          seen.sated++;
          expect(r.action, now(r)).not.toBe(Action.Eat);
        }
      }
      if (/You see water right in front/.test(now(r))) {
        if (hydration < 85) {
          seen.drink++;
          expect(r.action, now(r)).toBe(Action.Drink);
        } else if (hydration > 85) {
          seen.quenched++;
          expect(r.action, now(r)).not.toBe(Action.Drink);
        }
      }
      if (/(a hazard|another agent) right in front/.test(now(r))) {
        seen.blocked++;
        expect(r.action, now(r)).not.toBe(Action.Forward);
      }
    }
    for (const [what, n] of Object.entries(seen)) expect(n, what).toBeGreaterThan(0);
    // A pure function of the observation: when the prompt lists everything in view (fewer than five
    // sights), the same observation text and options always get the same answer, whoever the agent is.
    const byObservation = new Map<string, number>();
    let repeats = 0;
    for (const r of choices) {
      const sights = /You see (.*?)\. On your left/.exec(now(r))![1]!.split(', ');
      if (sights.length >= 5) continue;
      const key = `${now(r)}|${r.legal!.join(',')}`;
      const before = byObservation.get(key);
      if (before === undefined) byObservation.set(key, r.action!);
      else {
        repeats++;
        expect(r.action, key).toBe(before);
      }
    }
    expect(repeats).toBeGreaterThan(10);
    // Directly: the expert reads the observation's numbers only (not its text) and leaves it untouched.
    const env = new ForagingArena({ width: 8, height: 8, numAgents: 2, maxCycles: 30 });
    let { observations } = env.reset({ seed: 1 });
    while (env.agents.length > 0) {
      const actions: Record<string, number> = {};
      for (const id of env.agents) {
        const obs = observations[id]!;
        const before = { view: obs.view.slice(), proprio: obs.proprio.slice(), mask: obs.actionMask.slice() };
        const action = expertPolicy(obs, env.config.viewSize);
        expect(expertPolicy({ ...obs, text: '' }, env.config.viewSize)).toBe(action);
        expect([obs.view, obs.proprio, obs.actionMask]).toEqual([before.view, before.proprio, before.mask]);
        expect(obs.actionMask[action]).toBe(1);
        actions[id] = action;
      }
      observations = env.step(actions).observations;
    }
  });

  it('narrates answers consistent with the observation in the prompt', () => {
    const qa = records.filter((r) => r.kind === 'qa');
    expect(qa.length).toBeGreaterThan(60);
    const seen = { see: 0, feel: 0, why: 0 };
    for (const r of qa) {
      const now = r.prompt.split('\n').find((l) => l.startsWith('Now: '))!;
      const m = /Energy (\d+)%, hydration (\d+)%, health (\d+)%/.exec(now)!;
      const [energy, hydration, health] = [Number(m[1]) / 100, Number(m[2]) / 100, Number(m[3]) / 100];
      if (r.prompt.endsWith('Q: How do you feel?\nA:')) {
        seen.feel++;
        // Words are graded on exact values; the prompt shows rounded percentages, so allow the boundary.
        const near = (v: number, t: number) => Math.abs(v - t) <= 0.005;
        if (![0.25, 0.6].some((t) => near(energy, t))) expect(r.answer).toContain(level(energy, HUNGER_WORDS));
        if (![0.25, 0.6].some((t) => near(hydration, t))) expect(r.answer).toContain(level(hydration, THIRST_WORDS));
        if (![0.25, 0.6].some((t) => near(health, t))) expect(r.answer).toContain(level(health, HEALTH_WORDS));
      } else if (r.prompt.endsWith('Q: What do you see?\nA:')) {
        seen.see++;
        // Every sight named in the answer is also in the arena's own description of the view.
        const items = r.answer.replace(/^ I see |\.$/g, '').split(', ');
        if (r.answer === ' Nothing of note.') expect(now).toMatch(/You see nothing of note|You see a wall/);
        else for (const item of items) expect(now).toContain(item);
      } else {
        seen.why++;
        expect(r.prompt).toMatch(/Q: Why did you (stay|go forward|turn left|turn right|eat|drink)\?\nA:$/);
        const target = /it is (.+)\.$/.exec(r.answer);
        const want = /I need (food|water)/.exec(r.answer);
        if (target && want) expect(now).toContain(`${want[1]} ${target[1]}`);
        if (r.prompt.includes('Why did you eat?')) expect(r.answer).toContain('food was right in front');
      }
    }
    expect(Math.min(seen.see, seen.feel, seen.why)).toBeGreaterThan(10);
  });

  it('with noise, executes some random actions but still answers with the expert (DART)', () => {
    const noisy = generateCorpus({ seed: 7, episodes: 3, ticks: 40, noise: 0.3 });
    expect(generateCorpus({ seed: 7, episodes: 3, ticks: 40, noise: 0.3 })).toEqual(noisy);
    expect(generateCorpus({ seed: 7, episodes: 3, ticks: 40, noise: 0 })).toEqual(records);
    const choices = noisy.filter((r) => r.kind === 'choice');
    // The labels are the expert's decision on the observation in the prompt...
    for (const r of choices) expect(r.legal![Number(r.answer) - 1]).toBe(r.action);
    // ...but the trajectories differ: other observations follow the random actions.
    expect(choices.map((r) => r.prompt)).not.toEqual(records.filter((r) => r.kind === 'choice').map((r) => r.prompt));
  });

  it('with decisiveRepeat, writes choices with food, water, a hazard or an agent in front, turns in the open, and turns the sides decide, that many times', () => {
    const base = generateCorpus({ seed: 7, episodes: 3, ticks: 40 });
    const rep = generateCorpus({ seed: 7, episodes: 3, ticks: 40, decisiveRepeat: 3 });
    const now = (r: (typeof base)[number]) => r.prompt.split('\n').find((l) => l.startsWith('Now: '))!;
    const turn = (r: (typeof base)[number]) => r.action === Action.TurnLeft || r.action === Action.TurnRight;
    const sides = (r: (typeof base)[number]) => /On your left ([^,]+), on your right ([^.]+)\./.exec(now(r))!.slice(1);
    const free = (what: string) => what === 'free ground' || what === 'food' || what === 'water';
    const sideDecides = (r: (typeof base)[number]) => turn(r) && free(sides(r)[0]!) !== free(sides(r)[1]!);
    const decisive = (r: (typeof base)[number]) =>
      r.kind === 'choice' &&
      (/(food|water|a hazard|another agent) right in front/.test(now(r)) ||
        (turn(r) && !/right in front/.test(now(r))) ||
        sideDecides(r));
    const n = base.filter(decisive).length;
    expect(n).toBeGreaterThan(5);
    expect(base.filter((r) => decisive(r) && turn(r) && !/right in front/.test(now(r))).length).toBeGreaterThan(2);
    // Blocked by a wall with one side free: both directions occur, each toward the free side.
    const atWall = base.filter((r) => r.kind === 'choice' && / a wall right in front/.test(now(r)) && sideDecides(r));
    for (const a of [Action.TurnLeft, Action.TurnRight]) expect(atWall.some((r) => r.action === a)).toBe(true);
    for (const r of atWall) expect(free(sides(r)[r.action === Action.TurnLeft ? 0 : 1]!)).toBe(true);
    // Eating and drinking are only possible in such moments.
    for (const r of base)
      if (r.kind === 'choice' && (r.legal!.includes(Action.Eat) || r.legal!.includes(Action.Drink)))
        expect(decisive(r)).toBe(true);
    expect(rep.filter(decisive).length).toBe(3 * n);
    expect(rep.filter((r) => !decisive(r))).toEqual(base.filter((r) => !decisive(r)));
  });

  it('rejects bad options with DTE_ERR_TRAINER_BAD_OPTIONS', () => {
    expect(() => generateCorpus({ seed: 1, episodes: -1 })).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_TRAINER_BAD_OPTIONS' }),
    );
    for (const bad of [{ noise: 1.5 }, { noise: Number.NaN }, { decisiveRepeat: 0 }, { decisiveRepeat: 1.5 }])
      expect(() => generateCorpus({ seed: 1, episodes: 1, ...bad })).toThrow(
        expect.objectContaining({ code: 'DTE_ERR_TRAINER_BAD_OPTIONS' }),
      );
  });
});
