import { ACTIONS, expertPolicy, ForagingArena, type ForagingConfig, type ForagingObservation } from '@dte/arena';
import { TrainerError } from '../TrainerError.ts';
import { EpisodeMemory } from './EpisodeMemory.ts';
import { answerFeel, answerSee, answerWhy, questionWhy } from './narrate.ts';
import { renderChoiceContext, renderChoicePrompt } from './renderChoicePrompt.ts';

/** One training example: a prompt and the answer that follows it. */
export interface CorpusRecord {
  /** `choice`: a deliberation prompt answered by the expert's option digit; `qa`: a narration. */
  kind: 'choice' | 'qa';
  episode: number;
  agent: string;
  tick: number;
  prompt: string;
  answer: string;
  /** For `choice`: the action id chosen and the legal action ids in option order. */
  action?: number;
  legal?: number[];
}

/** Options of {@link generateCorpus}. */
export interface CorpusOptions {
  seed: number;
  episodes: number;
  /** Ticks per episode (default 60). */
  ticks?: number;
  /** Arena overrides (default: 8×8 grid, 2 agents). */
  arena?: Partial<ForagingConfig>;
  /** Ask one question about the situation every this many ticks per agent (default 3). */
  qaEvery?: number;
}

/** The personas `createEchoMinds` gives agents (in the same order). */
export const PERSONAS = [
  'a careful forager who avoids hazards.',
  'a bold explorer who likes to roam.',
  'a thirsty wanderer who stays near water.',
  'a hungry gatherer who follows the smell of food.',
] as const;

/**
 * A training corpus rendered from the arena itself, deterministic from `seed`: episodes of the scripted
 * expert, each of its decisions written as the agents' real deliberation prompt (persona, recalled
 * episodes, observation, numbered legal options, `I choose option `) answered by the expert's option
 * digit, plus question/answer narrations (what do you see, how do you feel, why did you …) whose answers
 * are computed from the observation and the body state.
 * @example const records = generateCorpus({ seed: 1, episodes: 4 })
 */
export function generateCorpus(options: CorpusOptions): CorpusRecord[] {
  const ticks = options.ticks ?? 60;
  const qaEvery = options.qaEvery ?? 3;
  if (!Number.isInteger(options.episodes) || options.episodes < 0 || !Number.isInteger(ticks) || ticks < 1)
    throw new TrainerError(
      'DTE_ERR_TRAINER_BAD_OPTIONS',
      'generateCorpus: episodes must be an integer ≥ 0 and ticks ≥ 1',
    );
  const out: CorpusRecord[] = [];
  for (let e = 0; e < options.episodes; e++) {
    const env = new ForagingArena({ width: 8, height: 8, numAgents: 2, maxCycles: ticks, ...options.arena });
    const k = env.config.viewSize;
    let { observations } = env.reset({ seed: (options.seed * 7919 + e) >>> 0 });
    const memories: Record<string, EpisodeMemory> = Object.fromEntries(
      env.possibleAgents.map((id) => [id, new EpisodeMemory()]),
    );
    for (let t = 0; t < ticks && env.agents.length > 0; t++) {
      const actions: Record<string, number> = {};
      for (const [i, id] of env.agents.entries()) {
        const obs = observations[id] as ForagingObservation;
        const persona = PERSONAS[(i + e) % PERSONAS.length]!;
        const mem = memories[id]!;
        const action = expertPolicy(obs, k, t * 31 + i + e);
        actions[id] = action;
        const legal = [...obs.actionMask.keys()].filter((a) => obs.actionMask[a] === 1);
        const context = renderChoiceContext(id, persona, mem.recent(), obs.text);
        const base = { episode: e, agent: id, tick: t };
        out.push({
          ...base,
          kind: 'choice',
          prompt: renderChoicePrompt(context, legal, ACTIONS),
          answer: String(legal.indexOf(action) + 1),
          action,
          legal,
        });
        if ((t + i) % qaEvery === 0) {
          const intro = `You are ${id}, ${persona}\nNow: ${obs.text}\n`;
          const which = (t / qaEvery + e + i) % 3;
          const [q, a] =
            which === 0
              ? ['What do you see?', answerSee(obs.view, k)]
              : which === 1
                ? ['How do you feel?', answerFeel(obs.proprio)]
                : [questionWhy(action), answerWhy(obs.view, k, obs.proprio, action)];
          out.push({ ...base, kind: 'qa', prompt: `${intro}Q: ${q}\nA:`, answer: ` ${a}` });
        }
        mem.observed(t, obs.text);
      }
      const step = env.step(actions);
      observations = step.observations;
      for (const [id, r] of Object.entries(step.rewards)) {
        memories[id]!.rewarded(t, r, actions[id]!);
      }
    }
  }
  return out;
}

/** The plain text of a record as one training document (prompt immediately followed by the answer). */
export function recordText(r: CorpusRecord): string {
  return r.prompt + r.answer;
}
