import type { EchoCorpusOptions } from '../corpus/generateEchoCorpus.ts';
import type { TinyLlamaConfig } from '../model/TinyLlama.ts';
import type { CosineSchedule } from '../optim/cosineSchedule.ts';

/** Everything that determines a training run: the same recipe gives the same model. */
export interface TrainRecipe {
  name: string;
  seed: number;
  /** The imitation corpus (`generateEchoCorpus`). */
  corpus: EchoCorpusOptions;
  /** Held-out corpus (other worlds) for the perplexity and the agreement with the teacher. */
  heldOut: EchoCorpusOptions;
  vocabSize: number;
  /** Train the tokenizer with SentencePiece's `split_digits` (see `trainBpeTokenizer`). */
  splitDigits?: boolean;
  model: Omit<TinyLlamaConfig, 'nVocab'>;
  batchSize: number;
  seqLen: number;
  steps: number;
  schedule: Omit<CosineSchedule, 'totalSteps'>;
  clip: number;
  weightDecay: number;
  /** Score answer tokens plus this fraction of prompt tokens (undefined: score every token). */
  promptFraction?: number;
}

/**
 * echo-tiny: the embedded default model (≈1.8M parameters: d 192, 4 layers, 6 heads / 2 KV heads,
 * SwiGLU 512, context 512; digits split, vocabulary capped at 2048).
 * Corpus (`generateEchoCorpus`): 100 episodes of 8 agents × 200 ticks in the oases world, the full
 * echo mind (memory, attention, DTESN, motor layer) with the scripted teacher deliberating; every
 * deliberation is the exact prompt `EchoMind` builds (persona, tick, focus, observation, the numbered
 * options) answered by the teacher's option digit, and on 10% of them the agent carries out a random
 * option instead (DART noise), so the corpus covers the states a learner reaches after its own
 * mistakes. Held out: 6 episodes of other worlds. 2000 steps × 8 × 256 tokens, windows aligned to
 * `<s>`; answers scored plus 10% of prompt tokens. The measured figures (training time and tokens/s on
 * the 2-core box, loss, held-out perplexity) are filled in here from the training run that produces
 * the shipped model.
 */
export const ECHO_TINY_RECIPE: TrainRecipe = {
  name: 'echo-tiny',
  seed: 20261124,
  corpus: { seed: 20261203, episodes: 100, agents: 8, ticks: 200, noise: 0.1 },
  heldOut: { seed: 777, episodes: 6, agents: 8, ticks: 200 },
  vocabSize: 2048,
  splitDigits: true,
  model: {
    nEmbd: 192,
    nLayer: 4,
    nHead: 6,
    nHeadKv: 2,
    nFf: 512,
    normEps: 1e-5,
    ropeFreqBase: 10000,
    contextLength: 512,
  },
  batchSize: 8,
  seqLen: 256,
  steps: 2000,
  schedule: { maxLr: 2e-3, minLr: 2e-4, warmupSteps: 100 },
  clip: 1,
  weightDecay: 0.1,
  promptFraction: 0.1,
};

/**
 * The demo recipe: the same pipeline at toy size (2 layers, d 64, ≈0.17M parameters) on a tiny corpus
 * (8 episodes of 4 agents × 120 ticks), 1500 steps of 4 × 192 tokens on native kernels — for trying
 * the trainer, not for playing.
 */
export const DEMO_RECIPE: TrainRecipe = {
  name: 'echo-demo',
  seed: 1,
  corpus: { seed: 1, episodes: 8, agents: 4, ticks: 120, noise: 0.1 },
  splitDigits: true,
  heldOut: { seed: 777, episodes: 2, agents: 4, ticks: 120 },
  vocabSize: 768,
  model: {
    nEmbd: 64,
    nLayer: 2,
    nHead: 4,
    nHeadKv: 2,
    nFf: 172,
    normEps: 1e-5,
    ropeFreqBase: 10000,
    contextLength: 512,
  },
  batchSize: 4,
  seqLen: 192,
  steps: 1500,
  schedule: { maxLr: 3e-3, minLr: 3e-4, warmupSteps: 20 },
  clip: 1,
  weightDecay: 0.1,
  promptFraction: 0.25,
};

/** Recipes by name (`--recipe`). */
export const RECIPES: Readonly<Record<string, TrainRecipe>> = { 'echo-tiny': ECHO_TINY_RECIPE, demo: DEMO_RECIPE };

/** Parameter count of a recipe's model for a vocabulary of `nVocab`. */
export function parameterCount(m: TrainRecipe['model'], nVocab: number): number {
  const hd = m.nEmbd / m.nHead;
  const layer = 2 * m.nEmbd + 2 * m.nEmbd * m.nHead * hd + 2 * m.nEmbd * m.nHeadKv * hd + 3 * m.nEmbd * m.nFf;
  return 2 * nVocab * m.nEmbd + m.nEmbd + m.nLayer * layer;
}
