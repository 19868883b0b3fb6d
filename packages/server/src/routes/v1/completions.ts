import { randomUUID } from 'node:crypto';
import type { GenerationDelta, SampleResult } from '@dte/engine-core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { completionLogprobs } from '../../generation/logprobs.ts';
import { mergeStreams, openGeneration } from '../../generation/openGeneration.ts';
import { SseWriter } from '../../generation/SseWriter.ts';
import { toSamplingParams } from '../../generation/toSamplingParams.ts';
import { toServerError } from '../../plugins/errorPlugin.ts';
import { ServerError } from '../../ServerError.ts';
import { finishReasonOf } from './chatCompletions.ts';
import { CompletionRequest } from './schemas.ts';

/** The prompts of a completions request as token lists (strings tokenized with BOS). */
function promptsOf(prompt: CompletionRequest['prompt'], encode: (s: string) => number[]): number[][] {
  if (typeof prompt === 'string') return [encode(prompt)];
  if (prompt.length > 0 && typeof prompt[0] === 'number') return [prompt as number[]];
  return (prompt as (string | number[])[]).map((p) => (typeof p === 'string' ? encode(p) : p));
}

/** `POST /v1/completions`: raw-prompt generation (one or more prompts × `n`); JSON or Server-Sent Events. */
export const completionsRoute: FastifyPluginAsyncZod = async (app) => {
  app.post('/v1/completions', { schema: { body: CompletionRequest } }, async (req, reply) => {
    const body = req.body;
    const served = app.requireModel(body.model);
    if (body.best_of != null && body.best_of !== (body.n ?? 1)) {
      throw new ServerError('DTE_ERR_SERVER_INVALID_REQUEST', 'best_of other than n is not supported.', {
        param: 'best_of',
      });
    }
    const prompts = promptsOf(body.prompt, (s) => served.tokenizer.encode(s));
    const vocab = served.tokenizer.vocabSize;
    for (const p of prompts) {
      if (p.length === 0)
        throw new ServerError('DTE_ERR_SERVER_INVALID_REQUEST', 'prompt must not be empty.', { param: 'prompt' });
      if (p.some((t) => t >= vocab)) {
        throw new ServerError('DTE_ERR_SERVER_INVALID_REQUEST', `prompt token ids must be < ${vocab}.`, {
          param: 'prompt',
        });
      }
    }
    const wantLogprobs = body.logprobs != null;
    const samplings = prompts.map((p) =>
      toSamplingParams(body, {
        numPromptTokens: p.length,
        maxModelLen: served.maxModelLen,
        vocabSize: vocab,
        maxTokens: body.max_tokens,
        maxTokensParam: 'max_tokens',
        defaultMaxTokens: 16,
        logprobs: wantLogprobs,
        topLogprobs: body.logprobs ?? 0,
        maxNumSeqs: served.engine.maxNumSeqs,
      }),
    );
    const n = body.n ?? 1;
    const id = `cmpl-${randomUUID().replaceAll('-', '')}`;
    const created = Math.floor(Date.now() / 1000);
    const streams: AsyncIterableIterator<GenerationDelta>[] = [];
    try {
      prompts.forEach((promptTokenIds, i) => {
        streams.push(
          openGeneration(app, req, reply, served, {
            requestId: prompts.length === 1 ? id : `${id}-${i}`,
            promptTokenIds,
            sampling: samplings[i]!,
            ...(body.priority != null ? { priority: body.priority } : {}),
            ...(body.user != null ? { owner: body.user } : {}),
          }),
        );
      });
    } catch (err) {
      for (const s of streams) await s.return?.();
      throw err;
    }
    const deltas = mergeStreams(
      streams,
      prompts.map((_, i) => i * n),
    );
    const texts0 = typeof body.prompt === 'string' ? [body.prompt] : (body.prompt as unknown[]);
    const echoes = prompts.map((p, i) => {
      if (body.echo !== true) return '';
      const original = texts0[i];
      return typeof original === 'string' ? original : served.tokenizer.decode(p, { skipSpecial: true });
    });
    const base = { id, object: 'text_completion', created, model: served.id, system_fingerprint: null };
    let numPrompt = 0;
    for (const p of prompts) numPrompt += p.length;
    let numCompletion = 0;
    const numChoices = prompts.length * n;

    if (body.stream === true) {
      const includeUsage = body.stream_options?.include_usage === true;
      const usageField = includeUsage ? { usage: null } : {};
      const sse = new SseWriter(reply);
      const offsets = new Array<number>(numChoices).fill(0);
      const echoed = new Array<boolean>(numChoices).fill(false);
      try {
        for await (const d of deltas) {
          if (d.error !== undefined) throw d.error;
          if (d.usage !== undefined) numCompletion += d.usage.completionTokens;
          const finish = finishReasonOf(d.finishReason);
          let text = d.text;
          if (!echoed[d.index]) {
            echoed[d.index] = true;
            text = echoes[d.promptIndex]! + text;
          }
          if (text === '' && finish === null) continue;
          const logprobs =
            wantLogprobs && d.logprobs ? completionLogprobs(served.tokenizer, d.logprobs, offsets[d.index]!) : null;
          offsets[d.index]! += text.length;
          sse.send({ ...base, choices: [{ index: d.index, text, logprobs, finish_reason: finish }], ...usageField });
        }
        if (includeUsage) {
          sse.send({
            ...base,
            choices: [],
            usage: {
              prompt_tokens: numPrompt,
              completion_tokens: numCompletion,
              total_tokens: numPrompt + numCompletion,
            },
          });
        }
      } catch (err) {
        sse.sendError(toServerError(err));
      }
      sse.done();
      return reply;
    }

    const texts = Array.from({ length: numChoices }, (_, i) => echoes[Math.floor(i / n)]!);
    const lps: SampleResult[][] = Array.from({ length: numChoices }, () => []);
    const finishes: ('stop' | 'length' | null)[] = new Array(numChoices).fill(null);
    for await (const d of deltas) {
      if (d.error !== undefined) throw d.error;
      texts[d.index] += d.text;
      if (d.logprobs) lps[d.index]!.push(...d.logprobs);
      if (d.finishReason !== null) finishes[d.index] = finishReasonOf(d.finishReason);
      if (d.usage !== undefined) numCompletion += d.usage.completionTokens;
    }
    return {
      ...base,
      choices: texts.map((text, index) => ({
        index,
        text,
        logprobs: wantLogprobs
          ? completionLogprobs(served.tokenizer, lps[index]!, echoes[Math.floor(index / n)]!.length)
          : null,
        finish_reason: finishes[index] ?? 'stop',
      })),
      usage: { prompt_tokens: numPrompt, completion_tokens: numCompletion, total_tokens: numPrompt + numCompletion },
    };
  });
};
