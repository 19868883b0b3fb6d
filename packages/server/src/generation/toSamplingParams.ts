import type { SamplingParams } from '@dte/engine-core';
import type { SamplingBody } from '../routes/v1/schemas.ts';
import { ServerError } from '../ServerError.ts';

/** What a request asked for beyond the body's sampling fields. */
export interface SamplingContext {
  numPromptTokens: number;
  maxModelLen: number;
  vocabSize: number;
  /** `max_tokens` (or `max_completion_tokens`) as asked; undefined = `defaultMaxTokens`. */
  maxTokens: number | null | undefined;
  /** Name of the field `maxTokens` came from, for `param`. */
  maxTokensParam: string;
  /** `undefined` = the rest of the context. */
  defaultMaxTokens?: number;
  logprobs: boolean;
  topLogprobs: number;
  maxNumSeqs: number;
}

/**
 * Maps OpenAI's snake_case sampling fields to the engine's {@link SamplingParams}, checking what the
 * schema cannot: the context budget, token ids against the vocabulary and `n` against the batch.
 * @throws ServerError `DTE_ERR_SERVER_CONTEXT_LENGTH` or `DTE_ERR_SERVER_INVALID_REQUEST` with `param`.
 */
export function toSamplingParams(body: SamplingBody, ctx: SamplingContext): Partial<SamplingParams> {
  const room = ctx.maxModelLen - ctx.numPromptTokens;
  if (room < 1) {
    throw new ServerError(
      'DTE_ERR_SERVER_CONTEXT_LENGTH',
      `This model's maximum context length is ${ctx.maxModelLen} tokens, but the prompt has ${ctx.numPromptTokens} tokens.`,
      { param: 'messages' },
    );
  }
  const maxTokens = ctx.maxTokens ?? Math.min(ctx.defaultMaxTokens ?? room, room);
  if (maxTokens > room) {
    throw new ServerError(
      'DTE_ERR_SERVER_CONTEXT_LENGTH',
      `This model's maximum context length is ${ctx.maxModelLen} tokens; ${ctx.numPromptTokens} prompt tokens + ${maxTokens} completion tokens exceed it.`,
      { param: ctx.maxTokensParam },
    );
  }
  const n = body.n ?? 1;
  if (n > ctx.maxNumSeqs) {
    throw new ServerError('DTE_ERR_SERVER_INVALID_REQUEST', `n must be at most ${ctx.maxNumSeqs}.`, { param: 'n' });
  }
  const checkId = (id: number, param: string): number => {
    if (id >= ctx.vocabSize) {
      throw new ServerError(
        'DTE_ERR_SERVER_INVALID_REQUEST',
        `token id ${id} is outside the vocabulary (${ctx.vocabSize}).`,
        { param },
      );
    }
    return id;
  };
  const p: Partial<SamplingParams> = { n, maxTokens, logprobs: ctx.logprobs, topLogprobs: ctx.topLogprobs };
  if (body.temperature != null) p.temperature = body.temperature;
  // top_p = 0 means "only the most likely token" to OpenAI; the engine wants a positive mass.
  if (body.top_p != null) p.topP = Math.max(body.top_p, Number.MIN_VALUE);
  if (body.top_k != null) p.topK = Math.min(body.top_k, ctx.vocabSize);
  if (body.min_p != null) p.minP = body.min_p;
  if (body.presence_penalty != null) p.presencePenalty = body.presence_penalty;
  if (body.frequency_penalty != null) p.frequencyPenalty = body.frequency_penalty;
  if (body.repetition_penalty != null) p.repetitionPenalty = body.repetition_penalty;
  if (body.seed != null) {
    if (!Number.isSafeInteger(body.seed))
      throw new ServerError('DTE_ERR_SERVER_INVALID_REQUEST', 'seed must be a safe integer.', { param: 'seed' });
    p.seed = body.seed;
  }
  if (body.stop != null) {
    const stop = (typeof body.stop === 'string' ? [body.stop] : body.stop).filter((s) => s.length > 0);
    p.stop = stop;
  }
  if (body.logit_bias != null) {
    const bias: Record<number, number> = {};
    for (const [k, v] of Object.entries(body.logit_bias)) bias[checkId(Number(k), 'logit_bias')] = v;
    p.logitBias = bias;
  }
  if (body.stop_token_ids != null) p.stopTokenIds = body.stop_token_ids.map((t) => checkId(t, 'stop_token_ids'));
  if (body.min_tokens != null) {
    if (body.min_tokens > maxTokens) {
      throw new ServerError('DTE_ERR_SERVER_INVALID_REQUEST', 'min_tokens must not exceed max_tokens.', {
        param: 'min_tokens',
      });
    }
    p.minTokens = body.min_tokens;
  }
  if (body.ignore_eos != null) p.ignoreEos = body.ignore_eos;
  return p;
}
