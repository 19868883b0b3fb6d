import { describe, expect, it } from 'vitest';
import { EngineError } from '../EngineError.ts';
import { resolveSamplingParams } from './SamplingParams.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof EngineError ? e.code : 'not-an-EngineError';
  }
  return undefined;
}

describe('resolveSamplingParams', () => {
  it('fills defaults', () => {
    const p = resolveSamplingParams({ temperature: 0 }, 100);
    expect(p.temperature).toBe(0);
    expect(p.maxTokens).toBe(16);
    expect(p.n).toBe(1);
    expect(p.stop).toEqual([]);
  });

  it('accepts a single stop string', () => {
    expect(resolveSamplingParams({ stop: 'x' as never }, 10).stop).toEqual(['x']);
  });

  it.each([
    [{ temperature: -1 }],
    [{ topP: 0 }],
    [{ topK: 1.5 }],
    [{ maxTokens: 0 }],
    [{ minTokens: 5, maxTokens: 2 }],
    [{ stopTokenIds: [100] }],
    [{ allowedTokenIds: [] }],
    [{ logitBias: { 200: 1 } }],
    [{ topLogprobs: 21 }],
    [{ temperature: Number.NaN }],
    [{ stop: [''] }],
  ])('rejects %j with DTE_ERR_ENGINE_BAD_PARAMS', (input) => {
    expect(codeOf(() => resolveSamplingParams(input as never, 100))).toBe('DTE_ERR_ENGINE_BAD_PARAMS');
  });
});
