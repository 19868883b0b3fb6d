import { hasSharedModel } from '@dte/testkit';
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_ID, storiesApp } from './support/storiesApp.ts';

describe.skipIf(!hasSharedModel())('end to end with the official openai client on 127.0.0.1', () => {
  let app: FastifyInstance;
  let client: OpenAI;
  beforeAll(async () => {
    ({ app } = await storiesApp({ apiKeys: [{ key: 'sk-test-0123456789' }] }));
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    client = new OpenAI({ baseURL: `${address}/v1`, apiKey: 'sk-test-0123456789', maxRetries: 0 });
  });
  afterAll(async () => {
    await app.close();
  });

  it('models.list', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toEqual([MODEL_ID]);
  });

  it('chat.completions.create', async () => {
    const res = await client.chat.completions.create({
      model: MODEL_ID,
      messages: [
        { role: 'system', content: 'You tell stories.' },
        { role: 'user', content: 'Once upon a time' },
      ],
      max_tokens: 10,
      temperature: 0,
    });
    expect(res.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(res.choices[0]!.finish_reason).toBe('length');
    expect(res.usage!.completion_tokens).toBe(10);
  });

  it('streaming chat with usage in the final chunk', async () => {
    const stream = await client.chat.completions.create({
      model: MODEL_ID,
      messages: [{ role: 'user', content: 'Tell me a story' }],
      max_completion_tokens: 12,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let last: OpenAI.Chat.Completions.ChatCompletionChunk | undefined;
    let numChunks = 0;
    for await (const chunk of stream) {
      numChunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      last = chunk;
    }
    expect(numChunks).toBeGreaterThan(2);
    expect(text.length).toBeGreaterThan(0);
    expect(last!.choices).toEqual([]);
    expect(last!.usage).toMatchObject({ completion_tokens: 12 });
    expect(last!.usage!.total_tokens).toBe(last!.usage!.prompt_tokens + 12);
  });

  it('completions.create', async () => {
    const res = await client.completions.create({
      model: MODEL_ID,
      prompt: 'Once upon a time',
      max_tokens: 8,
      temperature: 0,
      seed: 3,
    });
    expect(res.object).toBe('text_completion');
    expect(res.choices[0]!.text.length).toBeGreaterThan(0);
    expect(res.usage!.completion_tokens).toBe(8);
  });

  it('embeddings.create (the client asks base64 and decodes it)', async () => {
    const res = await client.embeddings.create({ model: MODEL_ID, input: ['a dog', 'a cat'] });
    expect(res.data).toHaveLength(2);
    const v = res.data[0]!.embedding;
    expect(v.length).toBeGreaterThan(8);
    expect(Math.hypot(...v)).toBeCloseTo(1, 4);
  });

  it('errors surface as typed APIError with status, code and param', async () => {
    const bad = client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] });
    await expect(bad).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const err = await client.chat.completions
      .create({ model: MODEL_ID, messages: [{ role: 'user', content: 'x' }], temperature: -1 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('DTE_ERR_SERVER_INVALID_REQUEST');
    expect((err as InstanceType<typeof OpenAI.APIError>).param).toBe('temperature');
    const noKey = new OpenAI({ baseURL: client.baseURL, apiKey: 'sk-wrong-000000000', maxRetries: 0 });
    await expect(noKey.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });
});
