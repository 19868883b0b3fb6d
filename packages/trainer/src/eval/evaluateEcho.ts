import {
  buildEchoRun,
  type EchoEngine,
  type EchoVariant,
  type ForagingWorld,
  runAar,
  variantNeedsEngine,
} from '@dte/aar';
import { expertPolicy, ForagingArena, foragingConfigFor } from '@dte/arena';
import { createEngine, type LoadedModel } from '@dte/engine-core';
import { TrainerError } from '../TrainerError.ts';
import { mean, tInterval95 } from './stats.ts';

/**
 * Seeds of the evaluation worlds by default: 101 … 108. The corpora never run them (their episodes run
 * the worlds `seed · 7919 + e`, see `corpusSeeds`; the recipes' test checks that none is among these).
 */
export const EVAL_SEEDS: readonly number[] = [101, 102, 103, 104, 105, 106, 107, 108];

/** Options of {@link evaluateEcho}. */
export interface EvaluateEchoOptions {
  /** What runs in the minds (`full` and the other model variants need `loaded`). */
  variant: EchoVariant;
  /** One run per seed (the world's seed). */
  seeds: readonly number[];
  agents: number;
  ticks: number;
  /** The model the model variants deliberate through; each seed gets a fresh engine over it. */
  loaded?: LoadedModel;
  /** Sampling temperature of the model's one-digit answers. Default 0.5 (as the agents run). */
  temperature?: number;
  /** Remembered places offered per deliberation. Default 2 (as the corpus is generated). */
  placesPerPrompt?: number;
  /** The world (default `oases`). */
  world?: ForagingWorld;
}

/** The outcome of {@link evaluateEcho}: per seed, and the mean with its 95% t-interval over seeds. */
export interface EchoEvaluation {
  /** The mind's variant, or `expert` for {@link evaluateExpert}. */
  variant: EchoVariant | 'expert';
  seeds: number[];
  /** Per seed: the run's total reward divided by the number of agents. */
  reward: number[];
  /** Per seed: the fraction of agents alive at the end. */
  survival: number[];
  rewardMean: number;
  /** Half-width of the 95% t-interval of `rewardMean` (NaN for one seed). */
  rewardCi95: number;
  survivalMean: number;
  survivalCi95: number;
}

/**
 * A fresh engine over a loaded model for one run, as the benchmarks make it (`echo-systems/aar/bench`):
 * empty prefix cache, priority scheduling, at most 512 batched tokens per step, seeded sampling.
 */
export function evalEngine(loaded: LoadedModel, seed: number, temperature = 0.5): EchoEngine {
  const engine = createEngine(loaded, { policy: 'priority', maxNumSeqs: 64, maxNumBatchedTokens: 512, seed });
  return { engine, tokenizer: loaded.tokenizer, temperature };
}

/**
 * Evaluates a mind as the agents run it: `buildEchoRun` for each seed on the lockstep clock (every
 * tick waits for every deliberation, so a run is reproducible from its seed), the model variants
 * through a fresh engine over `loaded` per seed. Returns each seed's mean reward per agent and
 * survival, and their means with 95% t-intervals over the seeds. Runs the seeds one after another.
 * @example const teacher = await evaluateEcho({ variant: 'teacher', seeds: [101, 102], agents: 8, ticks: 200 })
 */
export async function evaluateEcho(o: EvaluateEchoOptions): Promise<EchoEvaluation> {
  const needsModel = variantNeedsEngine(o.variant);
  if (needsModel && !o.loaded)
    throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', `evaluateEcho: variant ${o.variant} needs a loaded model`);
  checkRun('evaluateEcho', o);
  const temperature = o.temperature ?? 0.5;
  if (!(temperature >= 0) || !Number.isFinite(temperature))
    throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', 'evaluateEcho: temperature must be a finite number ≥ 0');
  const reward: number[] = [];
  const survival: number[] = [];
  for (const seed of o.seeds) {
    const engine = needsModel ? evalEngine(o.loaded!, seed, temperature) : undefined;
    try {
      const run = buildEchoRun({
        agents: o.agents,
        seed,
        ticks: o.ticks,
        variant: o.variant,
        clock: 'lockstep',
        placesPerPrompt: o.placesPerPrompt ?? 2,
        ...(engine ? { engine } : {}),
        ...(o.world ? { world: o.world } : {}),
      });
      let total = 0;
      await runAar(run.input, (rec) => {
        for (const r of Object.values(rec.step.rewards)) total += r;
      });
      reward.push(total / o.agents);
      survival.push(run.adapter.statuses().filter((a) => a.alive).length / o.agents);
    } finally {
      await engine?.engine.close();
    }
  }
  return summarise(o.variant, o.seeds, reward, survival);
}

/**
 * The purely reactive policy on the same worlds as {@link evaluateEcho}: the arena's scripted expert
 * (`expertPolicy`: eat or drink what is in front, steer to the most needed resource in view, else
 * explore) for every agent, no memory, no mind. The same world per seed as `buildEchoRun` builds
 * (`foragingConfigFor(world, agents, { maxCycles: ticks })`, reset with the seed); reward and survival
 * as `evaluateEcho` counts them. It is what a forager earns that only reacts to what it sees.
 * @example const expert = evaluateExpert({ seeds: [101, 102], agents: 8, ticks: 200 })
 */
export function evaluateExpert(
  o: Omit<EvaluateEchoOptions, 'variant' | 'loaded' | 'temperature' | 'placesPerPrompt'>,
): EchoEvaluation {
  checkRun('evaluateExpert', o);
  const reward: number[] = [];
  const survival: number[] = [];
  for (const seed of o.seeds) {
    const config = foragingConfigFor(o.world ?? 'oases', o.agents, {
      maxCycles: o.ticks,
    });
    const env = new ForagingArena(config);
    let { observations } = env.reset({ seed });
    let total = 0;
    let died = 0;
    while (env.agents.length > 0) {
      const actions: Record<string, number> = {};
      for (const id of env.agents) actions[id] = expertPolicy(observations[id]!, config.viewSize);
      const step = env.step(actions);
      for (const r of Object.values(step.rewards)) total += r;
      for (const dead of Object.values(step.terminations)) if (dead) died++;
      observations = step.observations;
    }
    reward.push(total / o.agents);
    survival.push((o.agents - died) / o.agents);
  }
  return summarise('expert', o.seeds, reward, survival);
}

/** Per-seed figures with their means and 95% t-intervals over the seeds. */
function summarise(
  variant: EchoEvaluation['variant'],
  seeds: readonly number[],
  reward: number[],
  survival: number[],
): EchoEvaluation {
  return {
    variant,
    seeds: [...seeds],
    reward,
    survival,
    rewardMean: mean(reward),
    rewardCi95: tInterval95(reward),
    survivalMean: mean(survival),
    survivalCi95: tInterval95(survival),
  };
}

/** At least one seed, and whole numbers ≥ 1 of agents and ticks. */
function checkRun(where: string, o: { seeds: readonly number[]; agents: number; ticks: number }): void {
  if (o.seeds.length === 0) throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', `${where}: no seed`);
  if (!Number.isInteger(o.agents) || o.agents < 1 || !Number.isInteger(o.ticks) || o.ticks < 1)
    throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', `${where}: agents ≥ 1 and ticks ≥ 1 (integers)`);
}
