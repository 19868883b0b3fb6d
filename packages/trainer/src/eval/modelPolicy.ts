import { ActionChooser } from '@dte/aar';
import { ACTIONS, type ForagingObservation, Rng } from '@dte/arena';
import type { AsyncEngine, LoadedModel } from '@dte/engine-core';
import { EpisodeMemory } from '../corpus/EpisodeMemory.ts';
import { PERSONAS } from '../corpus/generateCorpus.ts';
import { renderChoiceContext } from '../corpus/renderChoicePrompt.ts';
import { TrainerError } from '../TrainerError.ts';
import type { Policy, PolicyContext } from './evaluatePolicy.ts';

/** Last-position logits of `prompt` through a loaded model (one sequence, blocks 0, 1, 2, …). */
export async function promptLogits(loaded: LoadedModel, prompt: string): Promise<Float32Array> {
  const ids = loaded.tokenizer.encode(prompt);
  const n = ids.length;
  const { blockSize, numBlocks } = loaded.config;
  if (n > blockSize * numBlocks)
    throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', `promptLogits: ${n} tokens exceed the KV cache`);
  return loaded.model.forward({
    tokens: Int32Array.from(ids),
    positions: Int32Array.from(ids, (_, i) => i),
    seqStarts: Int32Array.from([0, n]),
    contextLens: Int32Array.from([n]),
    blockTables: Int32Array.from({ length: numBlocks }, (_, i) => i),
    maxBlocksPerSeq: numBlocks,
    slotMapping: Int32Array.from(ids, (_, i) => i),
    logitsIndices: Int32Array.from([n - 1]),
  });
}

/**
 * A policy that deliberates like the agents: the corpus's prompt (persona, remembered lines kept as in
 * the corpus, observation, the chooser's numbered legal options and `I choose option `) is handed to
 * `choose`, which returns the index of the chosen option in `legal`.
 */
export function promptPolicy(
  chooser: ActionChooser,
  choose: (prompt: string, legal: number[], obs: ForagingObservation, ctx: PolicyContext) => Promise<number> | number,
): Policy {
  const memories = new Map<string, EpisodeMemory>();
  return async (obs: ForagingObservation, ctx: PolicyContext) => {
    const key = `${ctx.episode}:${ctx.agent}`;
    let mem = memories.get(key);
    if (!mem) {
      mem = new EpisodeMemory();
      memories.set(key, mem);
    }
    if (ctx.tick > 0) mem.rewarded(ctx.tick - 1, ctx.lastReward, ctx.lastAction);
    const legal = [...obs.actionMask.keys()].filter((a) => obs.actionMask[a] === 1);
    const persona = PERSONAS[(ctx.agentIndex + ctx.episode) % PERSONAS.length]!;
    const prompt = chooser.prompt({ context: renderChoiceContext(ctx.agent, persona, mem.recent(), obs.text), legal });
    mem.observed(ctx.tick, obs.text);
    return legal[await choose(prompt, legal, obs, ctx)]!;
  };
}

/** Index of the highest logit among the first `n` option digits (ties: the first). */
export function bestOption(logits: Float32Array, digits: readonly number[], n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (logits[digits[i]!]! > logits[digits[best]!]!) best = i;
  return best;
}

/** Options of {@link modelPolicy}. */
export interface ModelPolicyOptions {
  /** Sampling temperature over the legal option digits (default: `ActionChooser`'s, 0.7; 0 = greedy). */
  temperature?: number;
  /** Seed of the sampling; each decision draws from (seed, episode, agent, tick), so runs reproduce. */
  seed?: number;
}

/**
 * A policy driven by a model as the agents use it ({@link promptPolicy}): the answer is one of the
 * option digits `ActionChooser` allows for the legal actions, sampled from the model's distribution
 * over them at the chooser's temperature (0.7 by default, as the agents run), or the highest-logit
 * one at temperature 0.
 */
export function modelPolicy(loaded: LoadedModel, options: ModelPolicyOptions = {}): Policy {
  // The agents' own chooser: its prompt and its allowed digit tokens (it only reads the tokenizer here).
  const chooser = new ActionChooser({} as AsyncEngine, loaded.tokenizer, ACTIONS);
  const digits = chooser.digitTokens();
  const temperature = options.temperature ?? chooser.temperature;
  if (!(temperature >= 0) || !Number.isFinite(temperature))
    throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', 'modelPolicy: temperature must be a finite number ≥ 0');
  const seed = options.seed ?? 0;
  return promptPolicy(chooser, async (prompt, legal, _obs, ctx) => {
    const logits = await promptLogits(loaded, prompt);
    const best = bestOption(logits, digits, legal.length);
    if (temperature === 0) return best;
    const z = legal.map((_, i) => logits[digits[i]!]!);
    const p = z.map((v) => Math.exp((v - z[best]!) / temperature));
    const total = p.reduce((a, b) => a + b, 0);
    const rng = new Rng(
      (Math.imul(seed, 0x9e3779b1) ^
        Math.imul(ctx.episode + 1, 0x85ebca6b) ^
        Math.imul(ctx.tick + 1, 0xc2b2ae35) ^
        ctx.agentIndex) >>>
        0,
    );
    let u = rng.next() * total;
    for (let i = 0; i < p.length; i++) {
      u -= p[i]!;
      if (u <= 0) return i;
    }
    return p.length - 1;
  });
}
