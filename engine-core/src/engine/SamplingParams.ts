import { EngineError } from '../EngineError.ts';
import type { TokenConstraint } from './TokenConstraint.ts';

/** Per-request sampling controls (vLLM's SamplingParams, camelCase). Every field is optional on input. */
export interface SamplingParams {
  /** Number of independent samples of the same prompt (share prompt KV blocks). Default 1. */
  n: number;
  /** 0 = greedy. Default 1. */
  temperature: number;
  /** Keep the k most likely tokens; 0 or -1 = off. */
  topK: number;
  /** Nucleus sampling mass in (0, 1]; 1 = off. */
  topP: number;
  /** Drop tokens with probability < minP × max probability; 0 = off. */
  minP: number;
  /** OpenAI presence penalty on generated tokens, in [-2, 2]. */
  presencePenalty: number;
  /** OpenAI frequency penalty on generated tokens, in [-2, 2]. */
  frequencyPenalty: number;
  /** CTRL-style repetition penalty (> 0; 1 = off) on prompt and generated tokens. */
  repetitionPenalty: number;
  /** Additive bias per token id. */
  logitBias: Record<number, number>;
  /** Seed of this request's PRNG stream; absent = drawn from the engine's seeded stream. */
  seed?: number;
  /** Stop strings (not included in the output text). */
  stop: string[];
  /** Token ids that end the sequence. */
  stopTokenIds: number[];
  /** No stop condition (EOS, stop ids, stop strings) applies before this many tokens. */
  minTokens: number;
  /** Keep generating past EOS. */
  ignoreEos: boolean;
  /** Maximum generated tokens. Default 16. */
  maxTokens: number;
  /** Return the chosen token's log-probability. */
  logprobs: boolean;
  /** Also return this many most likely alternatives (0–20). */
  topLogprobs: number;
  /** If set, only these token ids may be sampled (e.g. a legal action set). */
  allowedTokenIds?: number[];
  /** Per-step token mask with per-sequence state (e.g. a JSON-schema grammar); see {@link TokenConstraint}. */
  constraint?: TokenConstraint;
  /** Drop special tokens from the decoded text. Default true. */
  skipSpecialTokens: boolean;
}

/** Defaults applied by {@link resolveSamplingParams}. */
export const DEFAULT_SAMPLING_PARAMS: Readonly<SamplingParams> = Object.freeze({
  n: 1,
  temperature: 1,
  topK: 0,
  topP: 1,
  minP: 0,
  presencePenalty: 0,
  frequencyPenalty: 0,
  repetitionPenalty: 1,
  logitBias: {},
  stop: [],
  stopTokenIds: [],
  minTokens: 0,
  ignoreEos: false,
  maxTokens: 16,
  logprobs: false,
  topLogprobs: 0,
  skipSpecialTokens: true,
});

function bad(field: string, why: string): EngineError {
  return new EngineError('DTE_ERR_ENGINE_BAD_PARAMS', `resolveSamplingParams: ${field} ${why}`);
}

function checkNumber(v: unknown, field: string, min: number, max: number, integer = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(field, 'must be a finite number');
  if (integer && !Number.isInteger(v)) throw bad(field, 'must be an integer');
  if (v < min || v > max) throw bad(field, `must be in [${min}, ${max}]`);
  return v;
}

function checkTokenList(v: unknown, field: string, vocabSize: number): number[] {
  if (!Array.isArray(v)) throw bad(field, 'must be an array of token ids');
  return v.map((t) => checkNumber(t, field, 0, vocabSize - 1, true));
}

/**
 * Validates a partial set of sampling params and fills the defaults.
 * @throws EngineError `DTE_ERR_ENGINE_BAD_PARAMS` on any out-of-range or mistyped field.
 * @example resolveSamplingParams({ temperature: 0, maxTokens: 8 }, 32000)
 */
export function resolveSamplingParams(input: Partial<SamplingParams> | undefined, vocabSize: number): SamplingParams {
  const p = { ...DEFAULT_SAMPLING_PARAMS, ...(input ?? {}) } as SamplingParams;
  for (const [k, v] of Object.entries(input ?? {})) {
    if (v === undefined) (p as unknown as Record<string, unknown>)[k] = (DEFAULT_SAMPLING_PARAMS as never)[k];
  }
  checkNumber(p.n, 'n', 1, 64, true);
  checkNumber(p.temperature, 'temperature', 0, 100);
  checkNumber(p.topK, 'topK', -1, vocabSize, true);
  checkNumber(p.topP, 'topP', Number.MIN_VALUE, 1);
  checkNumber(p.minP, 'minP', 0, 1);
  checkNumber(p.presencePenalty, 'presencePenalty', -2, 2);
  checkNumber(p.frequencyPenalty, 'frequencyPenalty', -2, 2);
  checkNumber(p.repetitionPenalty, 'repetitionPenalty', Number.MIN_VALUE, 100);
  if (p.seed !== undefined) checkNumber(p.seed, 'seed', -(2 ** 53), 2 ** 53, true);
  checkNumber(p.minTokens, 'minTokens', 0, 1e9, true);
  checkNumber(p.maxTokens, 'maxTokens', 1, 1e9, true);
  if (p.minTokens > p.maxTokens) throw bad('minTokens', 'must not exceed maxTokens');
  checkNumber(p.topLogprobs, 'topLogprobs', 0, 20, true);
  if (typeof p.logprobs !== 'boolean') throw bad('logprobs', 'must be a boolean');
  if (typeof p.ignoreEos !== 'boolean') throw bad('ignoreEos', 'must be a boolean');
  if (typeof p.skipSpecialTokens !== 'boolean') throw bad('skipSpecialTokens', 'must be a boolean');
  const stop = typeof (p.stop as unknown) === 'string' ? [p.stop as unknown as string] : p.stop;
  if (!Array.isArray(stop) || stop.some((s) => typeof s !== 'string' || s.length === 0)) {
    throw bad('stop', 'must be non-empty strings');
  }
  p.stop = stop;
  p.stopTokenIds = checkTokenList(p.stopTokenIds, 'stopTokenIds', vocabSize);
  if (p.allowedTokenIds !== undefined) {
    p.allowedTokenIds = checkTokenList(p.allowedTokenIds, 'allowedTokenIds', vocabSize);
    if (p.allowedTokenIds.length === 0) throw bad('allowedTokenIds', 'must not be empty');
  }
  if (p.constraint !== undefined) {
    const c = p.constraint as Partial<TokenConstraint> | null;
    if (
      c === null ||
      typeof c !== 'object' ||
      typeof c.initialState !== 'function' ||
      typeof c.allowedTokens !== 'function' ||
      typeof c.advance !== 'function'
    ) {
      throw bad('constraint', 'must implement initialState, allowedTokens and advance');
    }
  }
  if (typeof p.logitBias !== 'object' || p.logitBias === null) throw bad('logitBias', 'must be an object');
  for (const [tok, bias] of Object.entries(p.logitBias)) {
    checkNumber(Number(tok), 'logitBias key', 0, vocabSize - 1, true);
    checkNumber(bias, 'logitBias value', -100, 100);
  }
  return p;
}
