import { describe, expect, it } from 'vitest';
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
});
