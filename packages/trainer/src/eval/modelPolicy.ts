import { ActionChooser } from '@dte/aar';
import { ACTIONS, type ForagingObservation } from '@dte/arena';
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

/**
 * A policy driven by a model as the agents use it ({@link promptPolicy}): the answer is the
 * highest-logit option digit among the legal ones, with the digit tokens `ActionChooser` allows
 * (greedy, like its constrained one-token generation at temperature 0).
 */
export function modelPolicy(loaded: LoadedModel): Policy {
  // The agents' own chooser: its prompt and its allowed digit tokens (it only reads the tokenizer here).
  const chooser = new ActionChooser({} as AsyncEngine, loaded.tokenizer, ACTIONS);
  const digits = chooser.digitTokens();
  return promptPolicy(chooser, async (prompt, legal) => {
    const logits = await promptLogits(loaded, prompt);
    let best = 0;
    for (let i = 1; i < legal.length; i++) if (logits[digits[i]!]! > logits[digits[best]!]!) best = i;
    return best;
  });
}
