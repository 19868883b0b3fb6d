import { expertPolicy } from '@dte/arena';
import type { ActionChooser } from './ActionChooser.ts';
import { EchoMind } from './EchoMind.ts';
import { EchoWorld } from './EchoWorld.ts';
import type { ForagingAdapter } from './foragingAdapter.ts';
import { type PrioritySink, urgencyFeedback } from './urgencyFeedback.ts';

/** Options of {@link createEchoMinds}. */
export interface EchoMindsOptions {
  seed: number;
  /** The engine's chooser; absent = reflex-only agents. */
  chooser?: ActionChooser;
  /** Where urgency goes (the engine); absent or `feedback: false` = no priority feedback. */
  prioritySink?: PrioritySink;
  feedback?: boolean;
  deliberateEvery?: number;
  personas?: readonly string[];
}

const PERSONAS = [
  'a careful forager who avoids hazards.',
  'a bold explorer who likes to roam.',
  'a thirsty wanderer who stays near water.',
  'a hungry gatherer who follows the smell of food.',
];

/**
 * One {@link EchoMind} per agent of a foraging arena over a shared {@link EchoWorld}, the scripted expert
 * as their fallback reflex, and (with a priority sink) the urgency → priority feedback stream for
 * `runAar({ feedback })`.
 * @example const { minds, feedback } = createEchoMinds(adapter, { seed: 1, chooser, prioritySink: engine.engine })
 */
export function createEchoMinds(adapter: ForagingAdapter, options: EchoMindsOptions) {
  const viewSize = adapter.env.config.viewSize;
  const world = new EchoWorld({
    seed: options.seed,
    sensorDim: viewSize * viewSize * 3 + 9,
    numActions: adapter.actionNames.length,
    ...(options.chooser ? { chooser: options.chooser } : {}),
  });
  const personas = options.personas ?? PERSONAS;
  const minds: Record<string, EchoMind> = {};
  adapter.agentIds.forEach((id, i) => {
    minds[id] = new EchoMind(world, id, {
      persona: personas[i % personas.length]!,
      actionNames: adapter.actionNames,
      fallbackReflex: () => expertPolicy(adapter.last[id]!, viewSize),
      seed: options.seed,
      ...(options.deliberateEvery ? { deliberateEvery: options.deliberateEvery } : {}),
    });
  });
  const feedback =
    options.prioritySink && options.feedback !== false
      ? urgencyFeedback(
          Object.fromEntries(Object.entries(minds).map(([id, m]) => [id, m.urgency$])),
          options.prioritySink,
        )
      : undefined;
  return { world, minds, feedback };
}
