import { describe, expect, it } from 'vitest';
import { corpusSeeds } from '../corpus/generateEchoCorpus.ts';
import { EVAL_SEEDS } from '../eval/evaluateEcho.ts';
import { parameterShapes } from '../model/TinyLlama.ts';
import { DEMO_RECIPE, ECHO_TINY_RECIPE, parameterCount } from './echoTinyRecipe.ts';

describe('recipes', () => {
  it('echo-tiny has 1–5M parameters and fits a ≤ 20 MB F32 GGUF for any vocabulary up to its cap', () => {
    for (const nVocab of [300, ECHO_TINY_RECIPE.vocabSize]) {
      const n = parameterCount(ECHO_TINY_RECIPE.model, nVocab);
      expect(n).toBeGreaterThanOrEqual(1e6);
      expect(n).toBeLessThanOrEqual(5e6);
      expect(n * 4).toBeLessThan(20e6);
    }
  });

  it('parameterCount agrees with the model layout', () => {
    for (const r of [DEMO_RECIPE, ECHO_TINY_RECIPE]) {
      const shapes = parameterShapes({ ...r.model, nVocab: 777 });
      expect(shapes.reduce((s, [, rows, cols]) => s + rows * cols, 0)).toBe(parameterCount(r.model, 777));
      expect(r.seqLen).toBeLessThanOrEqual(r.model.contextLength);
    }
  });

  it('echo-tiny trains on the corpus the issue fixes: 100 episodes of 8 agents × 200 ticks, 10% DART noise', () => {
    expect(ECHO_TINY_RECIPE.corpus).toEqual({ seed: 20261203, episodes: 100, agents: 8, ticks: 200, noise: 0.1 });
    expect(ECHO_TINY_RECIPE.heldOut).toEqual({ seed: 777, episodes: 6, agents: 8, ticks: 200 });
    expect(ECHO_TINY_RECIPE).toMatchObject({ vocabSize: 2048, splitDigits: true, batchSize: 8, seqLen: 256 });
    expect(ECHO_TINY_RECIPE).toMatchObject({ steps: 2000, promptFraction: 0.1 });
  });

  it('held-out corpora and the evaluation worlds are worlds training never ran', () => {
    for (const r of [DEMO_RECIPE, ECHO_TINY_RECIPE]) {
      const train = new Set(corpusSeeds(r.corpus));
      expect(train.size).toBe(r.corpus.episodes);
      for (const s of corpusSeeds(r.heldOut)) expect(train.has(s), `held-out world ${s}`).toBe(false);
      for (const s of EVAL_SEEDS) expect(train.has(s), `evaluation world ${s}`).toBe(false);
    }
    for (const s of EVAL_SEEDS) expect(corpusSeeds(ECHO_TINY_RECIPE.heldOut)).not.toContain(s);
  });
});
