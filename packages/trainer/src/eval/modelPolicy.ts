import { ActionChooser } from '@dte/aar';
import { ACTIONS, type ForagingObservation } from '@dte/arena';
import type { AsyncEngine, LoadedModel } from '@dte/engine-core';
import { PERSONAS } from '../corpus/generateCorpus.ts';
import { renderChoiceContext } from '../corpus/renderChoicePrompt.ts';
import type { Policy, PolicyContext } from './evaluatePolicy.ts';

/** Last-position logits of `prompt` through a loaded model (one sequence, blocks 0, 1, 2, …). */
export async function promptLogits(loaded: LoadedModel, prompt: string): Promise<Float32Array> {
  const ids = loaded.tokenizer.encode(prompt);
  const n = ids.length;
  const { blockSize, numBlocks } = loaded.config;
  if (n > blockSize * numBlocks) throw new RangeError(`promptLogits: ${n} tokens exceed the KV cache`);
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
 * A policy driven by a model as the agents use it: the deliberation prompt of the corpus (persona,
 * observation, numbered legal options, `I choose option `), the answer being the highest-logit
 * option digit among the legal ones (greedy, like a constrained one-token generation at temperature 0).
 */
export function modelPolicy(loaded: LoadedModel): Policy {
  // The agents' own chooser: its prompt and its allowed digit tokens (it only reads the tokenizer here).
  const chooser = new ActionChooser({} as AsyncEngine, loaded.tokenizer, ACTIONS);
  const digits = chooser.digitTokens();
  return async (obs: ForagingObservation, ctx: PolicyContext) => {
    const legal = [...obs.actionMask.keys()].filter((a) => obs.actionMask[a] === 1);
    const persona = PERSONAS[(ctx.agentIndex + ctx.episode) % PERSONAS.length]!;
    const prompt = chooser.prompt({ context: renderChoiceContext(ctx.agent, persona, [], obs.text), legal });
    const logits = await promptLogits(loaded, prompt);
    let best = 0;
    for (let i = 1; i < legal.length; i++) if (logits[digits[i]!]! > logits[digits[best]!]!) best = i;
    return legal[best]!;
  };
}
