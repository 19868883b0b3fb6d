import { createEngine, type LoadedModel } from '@dte/engine-core';
import { aarError } from './AarError.ts';
import type { Decision } from './AgentMind.ts';
import { buildEchoRun, ECHO_VARIANTS, type EchoEngine, type EchoVariant, variantNeedsEngine } from './buildEchoRun.ts';
import { runAar } from './runAar.ts';

/** Options of {@link runAblation}. */
export interface AblationOptions {
  seeds: readonly number[];
  agents: number;
  ticks: number;
  /** Variants to compare (`full` is always included, first). */
  variants?: readonly EchoVariant[];
  /** `paced` (default: `stepsPerTick` engine steps per tick) or `realtime` (`tickMs`). */
  clock?: 'paced' | 'realtime';
  stepsPerTick?: number;
  tickMs?: number;
  /** The model the deliberating variants think through. */
  model?: LoadedModel;
  /** Sampling temperature of the agents' answers. Default 0.5. */
  temperature?: number;
  /** Remembered places offered per deliberation. Default 2. */
  placesPerPrompt?: number;
  /** Called after each run (progress). */
  onRun?: (seed: number, variant: EchoVariant, outcome: AblationOutcome) => void;
}

/** One run of one variant on one seed. */
export interface AblationOutcome {
  /** Total reward per agent. */
  reward: number;
  /** Share of agents alive at the end. */
  survival: number;
  /** Of the deliberations needy agents (urgency ≥ 0.5) asked for, the share answered in time. */
  needyInTime: number;
  thoughts: number;
  late: number;
}

/** Mean and 95% t-interval half-width. */
export interface Estimate {
  mean: number;
  ci95: number;
}

/** What {@link runAblation} found. */
export interface AblationResult {
  variants: EchoVariant[];
  runs: Record<string, AblationOutcome[]>;
  summary: Record<string, { reward: Estimate; survival: Estimate; needyInTime: Estimate | null }>;
  /** full − variant, paired by seed. */
  pairedDelta: Record<string, { reward: Estimate; low: number; high: number; survival: number }>;
  /** (full − reflex_only) ÷ |reflex_only| of mean reward (NaN without reflex_only). */
  gainOverReflex: number;
}

export const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);

const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131];

/** Half-width of the 95% t-interval of the mean (NaN for fewer than two values). */
export function tInterval(xs: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return Number.NaN;
  const m = mean(xs);
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
  return ((T95[n - 2] ?? 1.96) * sd) / Math.sqrt(n);
}

/**
 * A fresh engine over a loaded model for one run (empty prefix cache, priority scheduling: the
 * `no_feedback` variant asks at priority 0, which is FCFS). At most 512 batched tokens per step, so
 * that a paced tick of a few steps answers only some of the agents.
 */
export function ablationEngine(model: LoadedModel, seed: number, temperature = 0.5): EchoEngine {
  const engine = createEngine(model, { policy: 'priority', maxNumSeqs: 64, maxNumBatchedTokens: 512, seed });
  return { engine, tokenizer: model.tokenizer, temperature };
}

/**
 * The ablation of the echo systems: every variant on every seed, in the oases world, saturated (more
 * agents than the engine answers per tick) on the paced or realtime clock; variants without a model
 * run in lockstep (their minds wait for nothing). Returns every run, the estimates and the paired
 * deltas full − variant.
 */
export async function runAblation(o: AblationOptions): Promise<AblationResult> {
  const variants: EchoVariant[] = ['full', ...(o.variants ?? ECHO_VARIANTS.filter((v) => v !== 'teacher'))];
  const unique = [...new Set(variants)];
  for (const v of unique)
    if (!ECHO_VARIANTS.includes(v)) throw aarError('DTE_ERR_AAR_BAD_ARGUMENT', 'runAblation', `unknown variant ${v}`);
  if (unique.some(variantNeedsEngine) && !o.model)
    throw aarError('DTE_ERR_AAR_NO_ENGINE', 'runAblation', 'the deliberating variants need a model');
  const clock = o.clock ?? 'paced';
  const runs: Record<string, AblationOutcome[]> = Object.fromEntries(unique.map((v) => [v, []]));
  for (const seed of o.seeds) {
    for (const variant of unique) {
      const engine = variantNeedsEngine(variant) && o.model ? ablationEngine(o.model, seed, o.temperature) : undefined;
      const run = buildEchoRun({
        agents: o.agents,
        seed,
        ticks: o.ticks,
        variant,
        ...(engine ? { engine } : {}),
        clock: engine ? clock : 'lockstep',
        stepsPerTick: o.stepsPerTick ?? 2,
        tickMs: o.tickMs ?? 100,
        placesPerPrompt: o.placesPerPrompt ?? 2,
      });
      const decisions: Decision[] = [];
      let total = 0;
      try {
        await runAar(run.input, (rec) => {
          decisions.push(...Object.values(rec.decisions));
          for (const r of Object.values(rec.step.rewards)) total += r;
        });
      } finally {
        await engine?.engine.close();
      }
      const asked = decisions.filter((d) => d.deliberated && (d.urgency ?? 0) >= 0.5);
      const outcome: AblationOutcome = {
        reward: total / o.agents,
        survival: run.adapter.statuses().filter((a) => a.alive).length / o.agents,
        needyInTime: asked.length ? asked.filter((d) => d.source === 'thought').length / asked.length : Number.NaN,
        thoughts: decisions.filter((d) => d.source === 'thought').length,
        late: decisions.filter((d) => d.source === 'reflex-late').length,
      };
      runs[variant]!.push(outcome);
      o.onRun?.(seed, variant, outcome);
    }
  }
  const est = (xs: number[]): Estimate => ({ mean: mean(xs), ci95: tInterval(xs) });
  const summary: AblationResult['summary'] = {};
  for (const v of unique) {
    const r = runs[v]!;
    const needy = r.map((x) => x.needyInTime).filter(Number.isFinite);
    summary[v] = {
      reward: est(r.map((x) => x.reward)),
      survival: est(r.map((x) => x.survival)),
      needyInTime: needy.length ? est(needy) : null,
    };
  }
  const full = runs.full!;
  const pairedDelta: AblationResult['pairedDelta'] = {};
  for (const v of unique) {
    if (v === 'full') continue;
    const d = full.map((x, i) => x.reward - runs[v]![i]!.reward);
    const e = est(d);
    pairedDelta[v] = {
      reward: e,
      low: e.mean - e.ci95,
      high: e.mean + e.ci95,
      survival: mean(full.map((x, i) => x.survival - runs[v]![i]!.survival)),
    };
  }
  const reflex = summary.reflex_only?.reward.mean ?? Number.NaN;
  return {
    variants: unique,
    runs,
    summary,
    pairedDelta,
    gainOverReflex: (summary.full!.reward.mean - reflex) / Math.abs(reflex),
  };
}
