import { randomUUID } from 'node:crypto';
import type { ChatMessage, GenerationDelta, SampleResult } from '@dte/engine-core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ChatAgentTurn } from '../../agents/ChatAgent.ts';
import { ChoiceShaper } from '../../generation/ChoiceShaper.ts';
import { chatLogprobs } from '../../generation/logprobs.ts';
import { openGeneration } from '../../generation/openGeneration.ts';
import { planStructured } from '../../generation/planStructured.ts';
import { SseWriter } from '../../generation/SseWriter.ts';
import { toSamplingParams } from '../../generation/toSamplingParams.ts';
import { toServerError } from '../../plugins/errorPlugin.ts';
import type { ServedModel } from '../../ServedModel.ts';
import { ServerError } from '../../ServerError.ts';
import { ChatCompletionRequest } from './schemas.ts';

/** OpenAI's finish reason of an engine one (`abort`, e.g. at shutdown, reports `stop`). */
export function finishReasonOf(reason: GenerationDelta['finishReason']): 'stop' | 'length' | null {
  if (reason === null) return null;
  return reason === 'length' ? 'length' : 'stop';
}

/** Renders messages with the model's chat template and tokenizes them (BOS unless the template wrote it). */
export function chatPromptTokens(served: ServedModel, body: ChatCompletionRequest): number[] {
  const text = served.chatTemplate.render(body.messages as ChatMessage[], {
    addGenerationPrompt: true,
    ...(body.tools != null && body.tools.length > 0 ? { tools: body.tools } : {}),
  });
  const bos = served.chatTemplate.bosToken;
  const hasBos = bos.length > 0 && text.startsWith(bos);
  return served.tokenizer.encode(text, { parseSpecial: true, ...(hasBos ? { addBos: false } : {}) });
}

/** Text of the last user message (what an agent hears). */
function lastUserText(body: ChatCompletionRequest): string {
  const m = [...body.messages].reverse().find((x) => x.role === 'user');
  if (m === undefined || m.content == null) return '';
  return typeof m.content === 'string' ? m.content : m.content.map((p) => p.text ?? '').join('');
}

/** The request as the agent answers it: its own system prompt first, its motor tools unless the client brought tools. */
function agentBody(body: ChatCompletionRequest, turn: ChatAgentTurn): ChatCompletionRequest {
  const messages = [
    { role: 'system' as const, content: turn.system },
    ...body.messages.filter((m) => m.role !== 'system'),
  ];
  const hasTools = body.tools != null && body.tools.length > 0;
  const tools = turn.tools.map((t) => ({ type: 'function', function: t }));
  return { ...body, messages, ...(hasTools || tools.length === 0 ? {} : { tools }) };
}

/** `POST /v1/chat/completions`: chat template, then generation; JSON or Server-Sent Events. */
export const chatCompletionsRoute: FastifyPluginAsyncZod = async (app) => {
  app.post('/v1/chat/completions', { schema: { body: ChatCompletionRequest } }, async (req, reply) => {
    const asked = req.body.model;
    const agent = asked.startsWith('agent/') ? app.chatAgents?.get(asked) : undefined;
    if (asked.startsWith('agent/') && agent === undefined) {
      throw new ServerError('DTE_ERR_SERVER_MODEL_NOT_FOUND', `The model \`${asked}\` does not exist.`, {
        param: 'model',
      });
    }
    const served = app.requireModel(agent === undefined ? asked : undefined);
    const turn = agent?.hear(lastUserText(req.body));
    const body = turn === undefined ? req.body : agentBody(req.body, turn);
    const modelId = agent?.id ?? served.id;
    let promptTokenIds: number[];
    try {
      promptTokenIds = chatPromptTokens(served, body);
    } catch (err) {
      const e = toServerError(err);
      throw new ServerError(e.code, e.message, { param: 'messages', cause: err });
    }
    const wantLogprobs = body.logprobs === true;
    if (!wantLogprobs && (body.top_logprobs ?? 0) > 0) {
      throw new ServerError('DTE_ERR_SERVER_INVALID_REQUEST', 'top_logprobs requires logprobs: true.', {
        param: 'top_logprobs',
      });
    }
    const plan = planStructured(body, served.tokenizer);
    const maxTokens = body.max_completion_tokens ?? body.max_tokens;
    const sampling = toSamplingParams(body, {
      numPromptTokens: promptTokenIds.length,
      maxModelLen: served.maxModelLen,
      vocabSize: served.tokenizer.vocabSize,
      maxTokens,
      maxTokensParam: body.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens',
      logprobs: wantLogprobs,
      topLogprobs: body.top_logprobs ?? 0,
      maxNumSeqs: served.engine.maxNumSeqs,
    });
    if (plan.mode === 'json' || plan.mode === 'call') sampling.constraint = plan.constraint;
    const shapers = Array.from({ length: sampling.n ?? 1 }, () => new ChoiceShaper(plan));
    const id = `chatcmpl-${randomUUID().replaceAll('-', '')}`;
    const created = Math.floor(Date.now() / 1000);
    const n = sampling.n ?? 1;
    const deltas = openGeneration(app, req, reply, served, {
      requestId: id,
      promptTokenIds,
      sampling,
      ...(turn !== undefined
        ? { priority: turn.priority, owner: turn.owner }
        : {
            ...(body.priority != null ? { priority: body.priority } : {}),
            ...(body.user != null ? { owner: body.user } : {}),
          }),
    });
    const base = { id, object: 'chat.completion.chunk', created, model: modelId, system_fingerprint: null };
    const tellAgent = (): void => {
      if (agent === undefined) return;
      const m = shapers[0]!.message();
      const call = m.tool_calls?.[0];
      agent.reply({ text: m.content, ...(call ? { toolCall: call.function } : {}) });
    };

    if (body.stream === true) {
      const includeUsage = body.stream_options?.include_usage === true;
      const sse = new SseWriter(reply);
      const usageField = includeUsage ? { usage: null } : {};
      for (let i = 0; i < n; i++) {
        sse.send({
          ...base,
          choices: [
            {
              index: i,
              delta: { role: 'assistant', content: shapers[i]!.initialContent },
              logprobs: null,
              finish_reason: null,
            },
          ],
          ...usageField,
        });
      }
      let numPrompt = promptTokenIds.length;
      let numCompletion = 0;
      try {
        for await (const d of deltas) {
          if (d.error !== undefined) throw d.error;
          if (d.usage !== undefined) {
            numPrompt = d.usage.promptTokens;
            numCompletion += d.usage.completionTokens;
          }
          const shaper = shapers[d.index]!;
          const out = shaper.push(d.text);
          const end = d.finishReason === null ? undefined : shaper.finish(finishReasonOf(d.finishReason));
          if (end !== undefined) out.push(...end.deltas);
          let logprobs = wantLogprobs && d.logprobs ? { content: chatLogprobs(served.tokenizer, d.logprobs) } : null;
          if (out.length === 0 && end !== undefined) out.push({});
          for (const [k, delta] of out.entries()) {
            const isLast = k === out.length - 1;
            sse.send({
              ...base,
              choices: [
                {
                  index: d.index,
                  delta,
                  logprobs,
                  finish_reason: isLast && end !== undefined ? end.finishReason : null,
                },
              ],
              ...usageField,
            });
            logprobs = null;
          }
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
        tellAgent();
      } catch (err) {
        sse.sendError(toServerError(err));
      }
      sse.done();
      return reply;
    }

    const lps: SampleResult[][] = Array.from({ length: n }, () => []);
    const finishes: ('stop' | 'length' | 'tool_calls' | null)[] = new Array(n).fill(null);
    let numPrompt = promptTokenIds.length;
    let numCompletion = 0;
    for await (const d of deltas) {
      if (d.error !== undefined) throw d.error;
      shapers[d.index]!.push(d.text);
      if (d.logprobs) lps[d.index]!.push(...d.logprobs);
      if (d.finishReason !== null)
        finishes[d.index] = shapers[d.index]!.finish(finishReasonOf(d.finishReason)).finishReason;
      if (d.usage !== undefined) {
        numPrompt = d.usage.promptTokens;
        numCompletion += d.usage.completionTokens;
      }
    }
    tellAgent();
    return {
      id,
      object: 'chat.completion',
      created,
      model: modelId,
      system_fingerprint: null,
      choices: shapers.map((shaper, index) => ({
        index,
        message: shaper.message(),
        logprobs: wantLogprobs ? { content: chatLogprobs(served.tokenizer, lps[index]!) } : null,
        finish_reason: finishes[index] ?? 'stop',
      })),
      usage: { prompt_tokens: numPrompt, completion_tokens: numCompletion, total_tokens: numPrompt + numCompletion },
    };
  });
};
