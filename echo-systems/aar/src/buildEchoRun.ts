import type { AsyncEngine, Tokenizer } from '@dte/engine-core';
import type { Observable } from 'rxjs';
import { aarError } from './AarError.ts';
import type { AgentMind } from './AgentMind.ts';
import type { AarInput, ClockMode } from './aarMachine.ts';
import { type Chooser, EngineChooser, TeacherChooser } from './Chooser.ts';
import { DangerModel } from './DangerModel.ts';
import { EchoMind, type MindParts } from './EchoMind.ts';
import { ForagingAdapter, type ForagingWorld } from './foragingAdapter.ts';
import { RandomMind } from './ReflexMind.ts';
import { type PriorityChange, urgencyFeedback } from './urgencyFeedback.ts';

/** The personas agents are given, in agent order (cycled). */
export const PERSONAS = [
  'a careful forager who avoids hazards.',
  'a bold explorer who likes to roam.',
  'a thirsty wanderer who stays near water.',
  'a hungry gatherer who follows the smell of food.',
] as const;

/**
 * What runs in a mind (`bench:ablation` compares them on the same seeds):
 * - `full`: memory, attention, DTESN, the model deliberating, priority from body and attention;
 * - `no_memory`: options from what is in view now, no map; `no_attention`: remembered places offered
 *   at random instead of by ECAN's focus; `no_dtesn`: no reservoir (no predicted danger, no
 *   surprise-triggered deliberation); `no_feedback`: every request at priority 0 (FCFS);
 * - `reflex_only`: no deliberation at all; `random`: random legal actions;
 * - `teacher`: the full mind with the scripted teacher choosing instead of the model (no engine).
 */
export const ECHO_VARIANTS = [
  'full',
  'no_memory',
  'no_attention',
  'no_dtesn',
  'no_feedback',
  'reflex_only',
  'random',
  'teacher',
] as const;
export type EchoVariant = (typeof ECHO_VARIANTS)[number];

/** The engine the minds think through, and how they sample their one-token answers. */
export interface EchoEngine {
  engine: AsyncEngine;
  tokenizer: Tokenizer;
  /** Sampling temperature of the answers. Default 0.5. */
  temperature?: number;
}

/** Options of {@link buildEchoRun}. */
export interface EchoRunOptions {
  agents: number;
  seed: number;
  ticks: number;
  /** The world (default `oases`) and overrides of its config. */
  world?: ForagingWorld;
  worldOverrides?: Parameters<typeof ForagingAdapter.forWorld>[2];
  variant?: EchoVariant;
  /** Needed by the variants that deliberate through a model. */
  engine?: EchoEngine;
  /** A chooser to use instead of the engine's or the teacher's (tests, corpus recording). */
  chooser?: Chooser;
  clock?: ClockMode;
  tickMs?: number;
  /** Engine steps per tick of the paced clock. Default 4. */
  stepsPerTick?: number;
  personas?: readonly string[];
  deliberateEvery?: number;
  /** Remembered places offered per deliberation (plus one way to explore). */
  placesPerPrompt?: number;
  /** Called with every priority change the feedback loop applies. */
  onPriority?: (change: PriorityChange) => void;
}

/** Everything a run needs, wired: the adapter, the minds, the feedback stream and the orchestrator input. */
export interface EchoRun {
  variant: EchoVariant;
  adapter: ForagingAdapter;
  minds: Record<string, AgentMind>;
  /** The echo minds by agent (empty for `random`). */
  echoMinds: Record<string, EchoMind>;
  chooser: Chooser | undefined;
  feedback: Observable<PriorityChange> | undefined;
  input: AarInput;
}

const MODEL_VARIANTS: ReadonlySet<EchoVariant> = new Set([
  'full',
  'no_memory',
  'no_attention',
  'no_dtesn',
  'no_feedback',
]);

/** True when the variant deliberates through the model (and so needs `engine`). */
export function variantNeedsEngine(variant: EchoVariant): boolean {
  return MODEL_VARIANTS.has(variant);
}

/**
 * The one way an echo run is wired (`dte run`, the server's hosted simulation, `bench:echo-loop`,
 * `bench:ablation`, the trainer's corpus and evaluations): a foraging world sized for the agents, one
 * mind per agent for the variant, the engine chooser (or the teacher), the urgency → priority
 * feedback on the engine, and the orchestrator's input for the clock.
 * @example const run = buildEchoRun({ agents: 16, seed: 1, ticks: 200, engine: { engine, tokenizer } }); await runAar(run.input)
 */
export function buildEchoRun(o: EchoRunOptions): EchoRun {
  const variant = o.variant ?? 'full';
  const clock = o.clock ?? 'lockstep';
  if (!ECHO_VARIANTS.includes(variant))
    throw aarError('DTE_ERR_AAR_BAD_ARGUMENT', 'buildEchoRun', `unknown variant ${String(variant)}`);
  if (!Number.isInteger(o.agents) || o.agents < 1)
    throw aarError('DTE_ERR_AAR_BAD_ARGUMENT', 'buildEchoRun', 'agents must be an integer ≥ 1');
  if (variantNeedsEngine(variant) && !o.engine && !o.chooser)
    throw aarError('DTE_ERR_AAR_NO_ENGINE', 'buildEchoRun', `variant ${variant} deliberates through a model`);
  if (clock === 'paced' && !o.engine)
    throw aarError('DTE_ERR_AAR_BAD_ARGUMENT', 'buildEchoRun', 'the paced clock counts engine steps: give an engine');
  const adapter = ForagingAdapter.forWorld(o.world ?? 'oases', o.agents, { maxCycles: o.ticks, ...o.worldOverrides });
  const personas = o.personas ?? PERSONAS;
  const chooser: Chooser | undefined =
    o.chooser ??
    (variantNeedsEngine(variant)
      ? new EngineChooser(o.engine!.engine, o.engine!.tokenizer, o.engine!.temperature ?? 0.5)
      : variant === 'teacher'
        ? new TeacherChooser()
        : undefined);
  const parts: Partial<MindParts> =
    variant === 'no_memory'
      ? { memory: false }
      : variant === 'no_attention'
        ? { attention: 'random' }
        : variant === 'no_dtesn'
          ? { dtesn: false }
          : {};
  const minds: Record<string, AgentMind> = {};
  const echoMinds: Record<string, EchoMind> = {};
  const reservoir = { membranes: 4, units: 32 };
  const danger = parts.dtesn === false ? undefined : new DangerModel((o.seed * 31 + 5) >>> 0);
  adapter.agentIds.forEach((id, i) => {
    if (variant === 'random') {
      minds[id] = new RandomMind(id, o.seed);
      return;
    }
    const mind = new EchoMind(id, {
      persona: personas[i % personas.length]!,
      actionNames: adapter.actionNames,
      regrowth: adapter.regrowth,
      reservoir,
      ...(danger ? { danger } : {}),
      ...(variant === 'reflex_only' || !chooser ? {} : { chooser }),
      parts,
      prioritize: variant !== 'no_feedback',
      seed: o.seed,
      ...(o.deliberateEvery ? { deliberateEvery: o.deliberateEvery } : {}),
      ...(o.placesPerPrompt ? { placesPerPrompt: o.placesPerPrompt } : {}),
    });
    minds[id] = mind;
    echoMinds[id] = mind;
  });
  const engine = o.engine?.engine;
  const feedback =
    engine && variant !== 'no_feedback' && variantNeedsEngine(variant)
      ? urgencyFeedback(Object.fromEntries(Object.entries(echoMinds).map(([id, m]) => [id, m.urgency$])), {
          setPriority: (owner, priority) => {
            engine.setPriority(owner, priority);
            o.onPriority?.({ owner, priority });
          },
        })
      : undefined;
  const input: AarInput = {
    adapter,
    minds,
    seed: o.seed,
    maxTicks: o.ticks,
    clock,
    ...(o.tickMs ? { tickMs: o.tickMs } : {}),
    ...(clock === 'paced' && engine ? { pace: { engine, stepsPerTick: o.stepsPerTick ?? 4 } } : {}),
    ...(feedback ? { feedback } : {}),
  };
  return { variant, adapter, minds, echoMinds, chooser, feedback, input };
}
