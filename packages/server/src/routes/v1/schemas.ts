import { z } from 'zod';

/** Sampling fields shared by `/v1/completions` and `/v1/chat/completions` (OpenAI names, plus vLLM extras). */
const samplingFields = {
  model: z.string().min(1),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  n: z.number().int().min(1).max(64).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(16)]).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  seed: z.number().int().nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  logit_bias: z.record(z.string().regex(/^\d+$/, 'keys must be token ids'), z.number().min(-100).max(100)).nullish(),
  user: z.string().nullish(),
  // Extras (vLLM's names).
  top_k: z.number().int().min(-1).nullish(),
  min_p: z.number().min(0).max(1).nullish(),
  repetition_penalty: z.number().gt(0).max(100).nullish(),
  priority: z.number().int().nullish(),
  min_tokens: z.number().int().min(0).nullish(),
  ignore_eos: z.boolean().nullish(),
  stop_token_ids: z.array(z.number().int().min(0)).nullish(),
};

const TextPart = z.looseObject({ type: z.string(), text: z.string().optional() });

/** One chat message; extra fields (`name`, `tool_calls`, …) go to the template unchanged. */
export const ChatMessageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(TextPart), z.null()]).optional(),
  name: z.string().optional(),
});

/** `POST /v1/chat/completions` body. Unknown fields are stripped (ignored), as OpenAI does. */
export const ChatCompletionRequest = z.object({
  ...samplingFields,
  messages: z.array(ChatMessageSchema).min(1, 'messages must not be empty'),
  max_completion_tokens: z.number().int().min(1).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  tool_choice: z
    .union([
      z.enum(['none', 'auto', 'required']),
      z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
    ])
    .nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: z
    .union([
      z.object({ type: z.literal('text') }),
      z.object({ type: z.literal('json_object') }),
      z.object({
        type: z.literal('json_schema'),
        json_schema: z.looseObject({
          name: z.string().min(1).max(64),
          description: z.string().nullish(),
          schema: z.unknown().optional(),
          strict: z.boolean().nullish(),
        }),
      }),
    ])
    .nullish(),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

const TokenList = z.array(z.number().int().min(0)).min(1);
const NonEmpty = z.string().min(1, 'must not be empty');

/** `POST /v1/completions` body. */
export const CompletionRequest = z.object({
  ...samplingFields,
  prompt: z.union([NonEmpty, z.array(NonEmpty).min(1), TokenList, z.array(TokenList).min(1)]),
  logprobs: z.number().int().min(0).max(20).nullish(),
  echo: z.boolean().nullish(),
  suffix: z.null().optional(),
  best_of: z.number().int().min(1).nullish(),
});
export type CompletionRequest = z.infer<typeof CompletionRequest>;

/** `POST /v1/embeddings` body. */
export const EmbeddingRequest = z.object({
  model: z.string().min(1),
  input: z.union([NonEmpty, z.array(NonEmpty).min(1), TokenList, z.array(TokenList).min(1)]),
  encoding_format: z.enum(['float', 'base64']).nullish(),
  dimensions: z.number().int().min(1).nullish(),
  user: z.string().nullish(),
});
export type EmbeddingRequest = z.infer<typeof EmbeddingRequest>;

/** Fields of either generation request that map to sampling params. */
export type SamplingBody = Pick<
  ChatCompletionRequest,
  Exclude<keyof typeof samplingFields, 'model' | 'stream' | 'stream_options'>
>;
