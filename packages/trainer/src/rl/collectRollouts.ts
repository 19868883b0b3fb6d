import {
  buildEchoRun,
  type Choice,
  type ChoiceRequest,
  type Chooser,
  choicePrompt,
  type EchoEngine,
  EngineChooser,
  isAvailable,
  NEED_THRESHOLD,
  runAar,
} from '@dte/aar';

/** One deliberation of a rollout: what the model saw and did, and what followed. */
export interface RolloutDecision {
  seed: number;
  owner: string;
  tick: number;
  prompt: string;
  /** Options offered. */
  n: number;
  /** The option taken. */
  action: number;
  /** The engine's raw log-probabilities of the option digits. */
  optionLogprobs: number[];
  /** The state's class (the group its baseline comes from): the pressing need and what is offered. */
  group: string;
  /** The discounted reward of the agent over the horizon from this tick. */
  return: number;
}

/** Options of {@link collectRollouts}. */
export interface RolloutOptions {
  engine: EchoEngine;
  seeds: readonly number[];
  agents: number;
  ticks: number;
  /** Ticks of reward a decision is credited with (default 30), discounted by `gamma` (default 0.95). */
  horizon?: number;
  gamma?: number;
  placesPerPrompt?: number;
}

/** A chooser that asks the engine and records each deliberation with the state's class. */
class RecordingChooser implements Chooser {
  readonly records: Array<Omit<RolloutDecision, 'seed' | 'return'>> = [];
  private readonly inner: EngineChooser;

  constructor(engine: EchoEngine) {
    this.inner = new EngineChooser(engine.engine, engine.tokenizer, engine.temperature ?? 0.5);
  }

  prompt(context: string, options: readonly string[]): string {
    return choicePrompt(context, options);
  }

  async choose(req: ChoiceRequest): Promise<Choice> {
    const d = req.detail!;
    // The class of the state, read now (the options' places are live objects that change later).
    const { energy, hydration } = d.body;
    const need = Math.min(energy, hydration) >= NEED_THRESHOLD ? 'sated' : hydration <= energy ? 'thirsty' : 'hungry';
    const offered = d.options
      .map((o) => (o.place ? `${o.kind}${isAvailable(o.place, d.tick, d.regrowth) ? '+' : '-'}` : o.kind))
      .sort()
      .join(',');
    const choice = await this.inner.choose(req);
    this.records.push({
      owner: req.owner,
      tick: d.tick,
      prompt: choice.prompt,
      n: req.options.length,
      action: choice.index,
      optionLogprobs: choice.optionLogprobs ?? [],
      group: `${need}|${offered}`,
    });
    return choice;
  }
}

/**
 * Rollouts for policy-gradient training: lockstep echo runs of the full mind (one per seed) whose
 * deliberations go through the serving engine at the agents' temperature, each recorded with the
 * engine's log-probabilities, the class of its state and the agent's discounted reward over the
 * following `horizon` ticks (a death's −10 included).
 */
export async function collectRollouts(
  o: RolloutOptions,
): Promise<{ decisions: RolloutDecision[]; episodes: Array<{ seed: number; reward: number; survival: number }> }> {
  const horizon = o.horizon ?? 30;
  const gamma = o.gamma ?? 0.95;
  const out: RolloutDecision[] = [];
  const episodes: Array<{ seed: number; reward: number; survival: number }> = [];
  for (const seed of o.seeds) {
    const chooser = new RecordingChooser(o.engine);
    const run = buildEchoRun({
      agents: o.agents,
      seed,
      ticks: o.ticks,
      variant: 'full',
      engine: o.engine,
      chooser,
      clock: 'lockstep',
      placesPerPrompt: o.placesPerPrompt ?? 2,
    });
    const rewards: Record<string, number[]> = {};
    let total = 0;
    await runAar(run.input, (rec) => {
      for (const [id, r] of Object.entries(rec.step.rewards)) {
        const rs = rewards[id] ?? [];
        rs[rec.tick] = r;
        rewards[id] = rs;
        total += r;
      }
    });
    const alive = run.adapter.statuses().filter((a) => a.alive).length;
    episodes.push({ seed, reward: total / o.agents, survival: alive / o.agents });
    for (const r of chooser.records) {
      const rs = rewards[r.owner] ?? [];
      let ret = 0;
      for (let k = 0; k < horizon; k++) ret += gamma ** k * (rs[r.tick + k] ?? 0);
      out.push({ ...r, seed, return: ret });
    }
  }
  return { decisions: out, episodes };
}

/**
 * GRPO-style advantages: within each group of states of the same class, the return minus the group's
 * mean, divided by the group's standard deviation (+ε). Decisions alone in their group get 0.
 */
export function groupAdvantages(decisions: readonly RolloutDecision[]): number[] {
  const groups = new Map<string, number[]>();
  decisions.forEach((d, i) => {
    const g = groups.get(d.group);
    if (g) g.push(i);
    else groups.set(d.group, [i]);
  });
  const adv = new Array<number>(decisions.length).fill(0);
  for (const idx of groups.values()) {
    if (idx.length < 2) continue;
    const m = idx.reduce((a, i) => a + decisions[i]!.return, 0) / idx.length;
    const sd = Math.sqrt(idx.reduce((a, i) => a + (decisions[i]!.return - m) ** 2, 0) / idx.length);
    for (const i of idx) adv[i] = (decisions[i]!.return - m) / (sd + 1e-3);
  }
  return adv;
}
