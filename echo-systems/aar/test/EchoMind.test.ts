import { describe, expect, it } from 'vitest';
import {
  bodyOf,
  buildEchoRun,
  type ChoiceRequest,
  type Chooser,
  choicePrompt,
  computeUrgency,
  EchoMind,
  MIND_ECAN,
  type Percept,
  runAar,
  TeacherChooser,
  teacherChoice,
} from '../src/index.ts';

/** Counts drinks (hydration rising by more than the decay) of every agent over a run. */
async function drinksOf(run: ReturnType<typeof buildEchoRun>): Promise<number> {
  let drinks = 0;
  await runAar(run.input, (rec) => {
    for (const p of Object.values(rec.step.percepts)) if (p.body.dHydration > 0.05) drinks++;
  });
  return drinks;
}

// One agent in a small walled world with a single spring (it never runs dry) and thirst rising fast:
// it sees the spring now and then, and has to come back to it.
const ONE_SPRING = {
  world: 'classic' as const,
  worldOverrides: {
    width: 16,
    height: 16,
    numAgents: 1,
    waterDensity: 1.01 / (14 * 14), // one spring
    foodDensity: 0,
    hazardDensity: 0,
    wallDensity: 0.04,
    energyDecay: 0,
    hydrationDecay: 0.02,
  },
};

describe('EchoMind: memory, attention and the body', () => {
  it('memory makes a measurable difference: with one remembered spring the agent drinks far more often', async () => {
    let withMemory = 0;
    let without = 0;
    for (const seed of [1, 2, 3, 4]) {
      const base = { agents: 1, seed, ticks: 150, ...ONE_SPRING, placesPerPrompt: 2 };
      withMemory += await drinksOf(buildEchoRun({ ...base, variant: 'teacher' }));
      without += await drinksOf(buildEchoRun({ ...base, variant: 'no_memory', chooser: new TeacherChooser() }));
    }
    // Measured: 29 drinks with memory, 0 without (it finds the spring again only by chance).
    expect(withMemory).toBeGreaterThanOrEqual(8);
    expect(withMemory).toBeGreaterThan(2 * without + 4);
  });

  it('urgency separates a thirsty agent from a sated one, in the body and in its attention', async () => {
    const run = buildEchoRun({ agents: 2, seed: 3, ticks: 1, variant: 'teacher' });
    const percepts = run.adapter.reset(3);
    const thirsty = run.echoMinds.agent_0!;
    const sated = run.echoMinds.agent_1!;
    const with_ = (p: Percept, hydration: number, tick: number): Percept => ({
      ...p,
      tick,
      body: { ...p.body, hydration, energy: 0.9 },
    });
    let u = { thirsty: 0, sated: 0 };
    for (let t = 0; t < 30; t++) {
      thirsty.attend(t);
      sated.attend(t);
      u = {
        thirsty: thirsty.sense(with_(percepts.agent_0!, 0.2, t)).urgency,
        sated: sated.sense(with_(percepts.agent_1!, 0.95, t)).urgency,
      };
    }
    expect(u.thirsty).toBeGreaterThan(u.sated + 0.4);
    // Attention: the thirsty self holds a larger share of its mind's STI, and water is on its mind.
    expect(thirsty.selfShare()).toBeGreaterThan(sated.selfShare());
    expect(thirsty.focusTexts().join(' ')).toMatch(/water/);
    expect(sated.context(with_(percepts.agent_1!, 0.95, 30))).not.toMatch(/On your mind: water/);
    // The bodily part alone, by name.
    const body = bodyOf([0.9, 0.15, 1, 0, 0, 0, 1, 0, 0]);
    expect(computeUrgency(body)).toBeGreaterThan(0.7);
    expect(computeUrgency({ ...body, hydration: 0.9 })).toBe(0);
  });

  it('attention stays bounded and conserved, and urgency and focus differ between agents and over time', async () => {
    const run = buildEchoRun({ agents: 6, seed: 5, ticks: 250, variant: 'teacher' });
    const urgency: Record<string, number[]> = {};
    const focus: Record<string, Set<string>> = {};
    await runAar(run.input, (rec) => {
      for (const [id, s] of Object.entries(rec.senses)) {
        urgency[id] = [...(urgency[id] ?? []), s.urgency];
        focus[id] = (focus[id] ?? new Set<string>()).add(s.focus.join('|'));
      }
    });
    const total = MIND_ECAN.startingFundsSti!;
    for (const m of Object.values(run.echoMinds)) {
      expect(Math.abs(m.ecan.bank.totalSti() - total)).toBeLessThan(1e-6 * total);
      let max = 0;
      for (const h of m.store.handles()) max = Math.max(max, m.store.getSti(h));
      expect(max).toBeLessThan(total);
      expect(m.store.getSti(m.self)).toBeLessThan(0.5 * total);
    }
    const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
    // Most agents' urgency moves over the run (one that stays sated, or dies early, may not).
    expect(Object.values(urgency).filter((xs) => spread(xs) > 0.1).length).toBeGreaterThanOrEqual(4);
    const finals = Object.values(urgency).map((xs) => xs.at(-1)!.toFixed(3));
    expect(new Set(finals).size).toBeGreaterThan(1);
    for (const f of Object.values(focus)) expect(f.size).toBeGreaterThan(5);
  });

  it('offers what attention ranks highest; without attention a seeded draw; without memory only what is in view', async () => {
    const seen: Record<string, string[][]> = { full: [], no_attention: [], no_memory: [] };
    for (const variant of ['full', 'no_attention', 'no_memory'] as const) {
      const asked: ChoiceRequest[] = [];
      const seenAt: number[][] = []; // each offered place's last sighting, when it was offered
      let ranked = 0;
      const chooser: Chooser = {
        prompt: choicePrompt,
        async choose(req) {
          asked.push(req);
          if (variant === 'full') {
            // The offered places hold at least as much STI as any place left out.
            const m = run.echoMinds[req.owner]!;
            const sti = (x: number, y: number) => m.store.getSti(m.places.get(`${x},${y}`)!.handle);
            const offered = req.detail!.options.filter((o) => o.place).map((o) => sti(o.target.x, o.target.y));
            const left = [...m.places.values()]
              .filter((e) => !req.detail!.options.some((o) => o.place === e.place))
              .map((e) => m.store.getSti(e.handle));
            if (offered.length === 2 && left.length > 0) {
              ranked++;
              expect(Math.min(...offered)).toBeGreaterThanOrEqual(Math.max(...left) - 1e-9);
            }
          }
          seenAt.push(req.detail!.options.filter((o) => o.place).map((o) => o.place!.seen));
          const index = teacherChoice(req.detail!.options, req.detail!.body, req.detail!.tick, req.detail!.regrowth);
          return { index, thought: '', prompt: choicePrompt(req.context, req.options) };
        },
      };
      const run = buildEchoRun({ agents: 4, seed: 7, ticks: 150, variant, chooser, placesPerPrompt: 2 });
      await runAar(run.input);
      if (variant === 'full') expect(ranked).toBeGreaterThan(10);
      for (const [i, req] of asked.entries()) {
        expect(seenAt[i]!.length).toBeLessThanOrEqual(2);
        seen[variant]!.push([...req.options]);
        if (variant === 'no_memory') for (const t of seenAt[i]!) expect(t).toBe(req.detail!.tick); // in view now
      }
      if (variant !== 'no_memory')
        expect(seenAt.some((ts, i) => ts.some((t) => t < asked[i]!.detail!.tick))).toBe(true);
    }
    expect(seen.no_attention).not.toEqual(seen.full);
  });

  it('deliberates when idle, when a goal ends, when a need becomes pressing, on surprise and when due', async () => {
    const run = buildEchoRun({ agents: 6, seed: 2, ticks: 200, variant: 'teacher' });
    const why = new Set<string>();
    await runAar(run.input, (rec) => {
      for (const s of Object.values(rec.senses)) if (s.deliberation) why.add(s.deliberation);
    });
    expect([...why].sort()).toEqual(['due', 'goal failed', 'goal reached', 'idle', 'surprised', 'urgent']);
    // Without the reservoir there is no surprise to deliberate on.
    const flat = buildEchoRun({ agents: 6, seed: 2, ticks: 200, variant: 'no_dtesn', chooser: new TeacherChooser() });
    const whyFlat = new Set<string>();
    await runAar(flat.input, (rec) => {
      for (const s of Object.values(rec.senses)) if (s.deliberation) whyFlat.add(s.deliberation);
    });
    expect(whyFlat.has('surprised')).toBe(false);
    expect(Object.values(flat.echoMinds).every((m) => m.tree === undefined)).toBe(true);
  });

  it('the DTESN learns to foresee patrolling hazards (motion-compensated echoes, one readout for all)', async () => {
    const run = buildEchoRun({
      agents: 8,
      seed: 2,
      ticks: 300,
      variant: 'teacher',
      worldOverrides: { movingHazards: 16 },
    });
    const before: Record<string, { front: number; x: number; y: number }> = {};
    const scores: Array<[number, number]> = [];
    await runAar(run.input, (rec) => {
      for (const [id, p] of Object.entries(rec.step.percepts)) {
        const b = before[id];
        if (b && rec.tick > 100) {
          const cell = p.sightings.find((s) => s.x === b.x && s.y === b.y);
          if (cell) scores.push([b.front, cell.kind === 'hazard' ? 1 : 0]);
        }
        const m = run.echoMinds[id]!;
        const dx = [0, 1, 0, -1][p.heading]!;
        const dy = [-1, 0, 1, 0][p.heading]!;
        before[id] = { front: m.predictedDanger.front, x: p.position.x + dx, y: p.position.y + dy };
      }
    });
    // Area under the ROC curve of "a hazard will be in the cell in front next tick".
    const pos = scores.filter((s) => s[1] === 1).map((s) => s[0]);
    const neg = scores.filter((s) => s[1] === 0).map((s) => s[0]);
    let wins = 0;
    for (const a of pos) for (const b of neg) wins += a > b ? 1 : a === b ? 0.5 : 0;
    expect(pos.length).toBeGreaterThan(10);
    expect(wins / (pos.length * neg.length)).toBeGreaterThan(0.85);
  });

  it('without a chooser it never deliberates (reflexes only)', () => {
    const m = new EchoMind('a', {
      persona: 'p',
      actionNames: ['stay', 'forward', 'turn_left', 'turn_right', 'eat', 'drink'],
      regrowth: { waterRefillTicks: 70, foodRegrowTicks: 90 },
    });
    const run = buildEchoRun({ agents: 1, seed: 1, ticks: 1, variant: 'reflex_only' });
    const p = run.adapter.reset(1).agent_0!;
    m.attend(0);
    const s = m.sense(p);
    expect(s.deliberation).toBeUndefined();
    expect(m.wantsToDeliberate(p, s)).toBe(false);
    expect(p.actionMask[s.reflex]).toBe(1);
  });
});
