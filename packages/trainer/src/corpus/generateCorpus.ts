import {
  ACTIONS,
  Action,
  expertPolicy,
  ForagingArena,
  type ForagingConfig,
  type ForagingObservation,
  Rng,
  ViewObject,
} from '@dte/arena';
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
  /**
   * Noise injection (DART, Laskey et al. 2017): on this fraction of decisions the arena executes a random
   * legal action instead of the expert's, while the record still answers with the expert's choice. The
   * corpus then covers the states a learner reaches after its own mistakes (spinning at water, facing
   * walls), which pure expert rollouts never visit. Default 0: the expert's actions are executed.
   */
  noise?: number;
  /**
   * Choice records with something right in front that the choice depends on (food, water, a hazard or
   * another agent), turns in the open (toward a needed resource level with the agent), and turns that the
   * sides decide (one side free, the other a wall, hazard or agent), are written this many times
   * (default 1). The last kind matters because most blocked turns go right (the expert's rule for two or
   * no free sides), so a learner that does not read the sides turns right into a wall. Whether to eat or drink there depends on reading the body's need from
   * the percentages, stepping onto a hazard or into an agent hurts, turning at the right moment is how
   * a resource in view is reached, and these moments decide the reward while being a few percent of all
   * decisions. All four front kinds are repeated alike, so the model learns to tell them apart rather
   * than that "something in front" means one action.
   */
  decisiveRepeat?: number;
}

/** What right in front makes a decision decisive (see `CorpusOptions.decisiveRepeat`). */
const DECISIVE_FRONT: ReadonlySet<number> = new Set([
  ViewObject.Food,
  ViewObject.Water,
  ViewObject.Hazard,
  ViewObject.Agent,
]);

/** Cells an agent can stand on or reach into (a turn toward one of them, away from the other kind, is decided by the sides). */
const PASSABLE: ReadonlySet<number> = new Set([ViewObject.Empty, ViewObject.Food, ViewObject.Water]);

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
 * are computed from the observation and the body state. With `noise`, some executed actions are random
 * (the answers stay the expert's), so the learner also sees how to recover from mistakes.
 * @example const records = generateCorpus({ seed: 1, episodes: 4 })
 */
export function generateCorpus(options: CorpusOptions): CorpusRecord[] {
  const ticks = options.ticks ?? 60;
  const qaEvery = options.qaEvery ?? 3;
  const noise = options.noise ?? 0;
  const repeat = options.decisiveRepeat ?? 1;
  if (!Number.isInteger(options.episodes) || options.episodes < 0 || !Number.isInteger(ticks) || ticks < 1)
    throw new TrainerError(
      'DTE_ERR_TRAINER_BAD_OPTIONS',
      'generateCorpus: episodes must be an integer ≥ 0 and ticks ≥ 1',
    );
  if (!(noise >= 0 && noise <= 1) || !Number.isInteger(repeat) || repeat < 1)
    throw new TrainerError(
      'DTE_ERR_TRAINER_BAD_OPTIONS',
      'generateCorpus: noise must be in [0, 1] and decisiveRepeat an integer ≥ 1',
    );
  // The noise has its own stream so that noise 0 leaves the corpus exactly as before.
  const noiseRng = new Rng((options.seed * 31337 + 17) >>> 0);
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
        const action = expertPolicy(obs, k);
        const legal = [...obs.actionMask.keys()].filter((a) => obs.actionMask[a] === 1);
        actions[id] = noise > 0 && noiseRng.next() < noise ? legal[noiseRng.int(legal.length)]! : action;
        const context = renderChoiceContext(id, persona, mem.recent(), obs.text);
        const base = { episode: e, agent: id, tick: t };
        const choice: CorpusRecord = {
          ...base,
          kind: 'choice',
          prompt: renderChoicePrompt(context, legal, ACTIONS),
          answer: String(legal.indexOf(action) + 1),
          action,
          legal,
        };
        const half = (k - 1) >> 1;
        const front = obs.view[((k - 2) * k + half) * 3];
        const turn = action === Action.TurnLeft || action === Action.TurnRight;
        const turnInOpen = front === ViewObject.Empty && turn;
        const sideDecides =
          turn &&
          PASSABLE.has(obs.view[((k - 1) * k + half - 1) * 3]!) !==
            PASSABLE.has(obs.view[((k - 1) * k + half + 1) * 3]!);
        const copies = DECISIVE_FRONT.has(front ?? -1) || turnInOpen || sideDecides ? repeat : 1;
        for (let c = 0; c < copies; c++) out.push(choice);
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
