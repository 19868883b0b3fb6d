import { hasSharedModel } from '@dte/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServedModel } from '../src/index.ts';
import { MODEL_ID, sseEvents, storiesApp } from './support/storiesApp.ts';

interface Envelope {
  error: { message: string; type: string; param: string | null; code: string };
}

describe.skipIf(!hasSharedModel())('OpenAI routes via app.inject (stories260K, reference backend)', () => {
  let app: FastifyInstance;
  let served: ServedModel;
  beforeAll(async () => {
    ({ app, served } = await storiesApp());
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });
  const chat = (extra: Record<string, unknown> = {}) =>
    post('/v1/chat/completions', {
      model: MODEL_ID,
      messages: [{ role: 'user', content: 'Once upon a time' }],
      ...extra,
    });
  const expectError = (
    res: { statusCode: number; json(): unknown },
    status: number,
    code: string,
    param?: string | null,
  ) => {
    expect(res.statusCode).toBe(status);
    const body = res.json() as Envelope;
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe('string');
    expect(typeof body.error.type).toBe('string');
    if (param !== undefined) expect(body.error.param).toBe(param);
    return body.error;
  };

  it('GET /v1/models lists the served model; /v1/models/:id finds it or 404s', async () => {
    const res = await app.inject({ url: '/v1/models' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.object).toBe('list');
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({ id: MODEL_ID, object: 'model', owned_by: 'dte', max_model_len: 2048 });
    expect((await app.inject({ url: `/v1/models/${MODEL_ID}` })).json().id).toBe(MODEL_ID);
    expectError(await app.inject({ url: '/v1/models/gpt-4o' }), 404, 'DTE_ERR_SERVER_MODEL_NOT_FOUND', 'model');
  });

  it('chat: greedy completion is deterministic, with usage and finish_reason length', async () => {
    const a = await chat({ max_tokens: 12, temperature: 0 });
    expect(a.statusCode).toBe(200);
    const body = a.json();
    expect(body.object).toBe('chat.completion');
    expect(body.model).toBe(MODEL_ID);
    expect(body.choices).toHaveLength(1);
    expect(body.choices[0].message.role).toBe('assistant');
    expect(body.choices[0].message.content.length).toBeGreaterThan(0);
    expect(body.choices[0].finish_reason).toBe('length');
    expect(body.usage.completion_tokens).toBe(12);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + 12);
    const b = (await chat({ max_tokens: 12, temperature: 0 })).json();
    expect(b.choices[0].message.content).toBe(body.choices[0].message.content);
  });

  it('chat: the prompt is the ChatML fallback rendering (stories260K has no template)', async () => {
    expect(served.chatTemplate.isFallback).toBe(true);
    const text = served.chatTemplate.render([{ role: 'user', content: 'Once upon a time' }]);
    const expected = served.tokenizer.encode(text, { parseSpecial: true }).length;
    const body = (await chat({ max_tokens: 1 })).json();
    expect(body.usage.prompt_tokens).toBe(expected);
  });

  it('chat: n samples, seed reproducibility, stop strings, penalties and extras are accepted', async () => {
    const req = {
      max_tokens: 10,
      temperature: 1,
      seed: 7,
      n: 3,
      top_p: 0.9,
      top_k: 40,
      min_p: 0.01,
      presence_penalty: 0.5,
      frequency_penalty: 0.5,
      repetition_penalty: 1.1,
      priority: 2,
      user: 'agent-1',
      logit_bias: { '5': 1 },
    };
    const a = (await chat(req)).json();
    expect(a.choices.map((c: { index: number }) => c.index)).toEqual([0, 1, 2]);
    expect(a.usage.completion_tokens).toBeGreaterThan(0);
    const b = (await chat(req)).json();
    expect(b.choices.map((c: { message: { content: string } }) => c.message.content)).toEqual(
      a.choices.map((c: { message: { content: string } }) => c.message.content),
    );
    const full = (await chat({ max_tokens: 20, temperature: 0 })).json().choices[0].message.content as string;
    const cut = full.slice(3, 6);
    const stopped = (await chat({ max_tokens: 20, temperature: 0, stop: [cut] })).json();
    expect(stopped.choices[0].finish_reason).toBe('stop');
    expect(stopped.choices[0].message.content).toBe(full.slice(0, full.indexOf(cut)));
  });

  it('chat: logprobs and top_logprobs', async () => {
    const body = (await chat({ max_tokens: 4, temperature: 0, logprobs: true, top_logprobs: 3 })).json();
    const content = body.choices[0].logprobs.content;
    expect(content).toHaveLength(4);
    for (const t of content) {
      expect(t.logprob).toBeLessThanOrEqual(0);
      expect(t.top_logprobs).toHaveLength(3);
      // Greedy: the chosen token is the most likely one.
      expect(t.top_logprobs[0].token).toBe(t.token);
    }
  });

  it('chat: stream: true sends SSE chunks, usage last (include_usage), then [DONE]', async () => {
    const res = await chat({ max_tokens: 8, temperature: 0, stream: true, stream_options: { include_usage: true } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = sseEvents(res.body);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1) as {
      object: string;
      choices: { delta: { role?: string; content?: string }; finish_reason: string | null }[];
      usage: unknown;
    }[];
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ completion_tokens: 8 });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    const whole = (await chat({ max_tokens: 8, temperature: 0 })).json().choices[0].message.content;
    expect(text).toBe(whole);
    expect(chunks.some((c) => c.choices[0]?.finish_reason === 'length')).toBe(true);
  });

  it('completions: string, batch of prompts × n, token prompt, echo, logprobs, streaming', async () => {
    const one = (
      await post('/v1/completions', { model: MODEL_ID, prompt: 'Once upon a time', max_tokens: 6, temperature: 0 })
    ).json();
    expect(one.object).toBe('text_completion');
    expect(one.choices[0].text.length).toBeGreaterThan(0);
    const many = (
      await post('/v1/completions', {
        model: MODEL_ID,
        prompt: ['Once upon a time', 'Lily'],
        n: 2,
        max_tokens: 4,
        temperature: 0,
      })
    ).json();
    expect(many.choices.map((c: { index: number }) => c.index)).toEqual([0, 1, 2, 3]);
    expect(many.choices[0].text).toBe(one.choices[0].text.slice(0, many.choices[0].text.length));
    const ids = served.tokenizer.encode('Once upon a time');
    const tok = (await post('/v1/completions', { model: MODEL_ID, prompt: ids, max_tokens: 6, temperature: 0 })).json();
    expect(tok.choices[0].text).toBe(one.choices[0].text);
    const echo = (
      await post('/v1/completions', {
        model: MODEL_ID,
        prompt: 'Once upon a time',
        max_tokens: 6,
        temperature: 0,
        echo: true,
        logprobs: 2,
      })
    ).json();
    expect(echo.choices[0].text).toBe(`Once upon a time${one.choices[0].text}`);
    expect(echo.choices[0].logprobs.tokens).toHaveLength(6);
    const res = await post('/v1/completions', {
      model: MODEL_ID,
      prompt: 'Once upon a time',
      max_tokens: 6,
      temperature: 0,
      stream: true,
    });
    const events = sseEvents(res.body);
    expect(events.at(-1)).toBe('[DONE]');
    const text = (events.slice(0, -1) as { choices: { text: string }[] }[])
      .map((e) => e.choices[0]?.text ?? '')
      .join('');
    expect(text).toBe(one.choices[0].text);
  });

  it('embeddings: unit vectors, float and base64 agree', async () => {
    const f = (await post('/v1/embeddings', { model: MODEL_ID, input: ['hello', 'a cat'] })).json();
    expect(f.data).toHaveLength(2);
    const v = f.data[0].embedding as number[];
    expect(Math.hypot(...v)).toBeCloseTo(1, 4);
    expect(f.usage.prompt_tokens).toBeGreaterThan(0);
    const b = (await post('/v1/embeddings', { model: MODEL_ID, input: 'hello', encoding_format: 'base64' })).json();
    const buf = Buffer.from(b.data[0].embedding, 'base64');
    const decoded = Array.from(new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4));
    expect(decoded).toEqual(v);
  });

  it('GET /metrics: Prometheus text with engine gauges, counters and histograms', async () => {
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    for (const name of [
      'dte_num_requests_running',
      'dte_num_requests_waiting',
      'dte_kv_cache_usage_perc',
      'dte_prefix_cache_hits_total',
      'dte_num_preemptions_total',
      'dte_prompt_tokens_total',
      'dte_generation_tokens_total',
    ]) {
      expect(res.body).toMatch(new RegExp(`^${name} \\d`, 'm'));
    }
    expect(res.body).toMatch(/^dte_time_to_first_token_seconds_count [1-9]/m);
    expect(res.body).toMatch(/^dte_inter_token_latency_seconds_bucket\{le="\+Inf"\} [1-9]/m);
    expect(res.body).toMatch(/^dte_e2e_request_latency_seconds_sum /m);
    expect(res.body).toMatch(/^dte_kv_cache_blocks_in_use 0$/m);
    expect(res.body).toMatch(/^dte_http_requests_total\{route="\/v1\/chat\/completions",status="200"\} [1-9]/m);
  });

  describe('bad input → 4xx envelope', () => {
    it('malformed JSON', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: { 'content-type': 'application/json' },
        body: '{"model": ',
      });
      expectError(res, 400, 'DTE_ERR_SERVER_INVALID_JSON');
    });
    it('wrong types name the field in param', async () => {
      expectError(await chat({ temperature: 'hot' }), 400, 'DTE_ERR_SERVER_INVALID_REQUEST', 'temperature');
      expectError(await chat({ max_tokens: 1.5 }), 400, 'DTE_ERR_SERVER_INVALID_REQUEST', 'max_tokens');
      expectError(await chat({ stream: 'yes' }), 400, 'DTE_ERR_SERVER_INVALID_REQUEST', 'stream');
      expectError(
        await post('/v1/chat/completions', { model: MODEL_ID, messages: [{ role: 'user', content: 5 }] }),
        400,
        'DTE_ERR_SERVER_INVALID_REQUEST',
        'messages.0.content',
      );
      expectError(
        await post('/v1/chat/completions', { model: MODEL_ID, messages: [{ role: 'wizard', content: 'x' }] }),
        400,
        'DTE_ERR_SERVER_INVALID_REQUEST',
        'messages.0.role',
      );
      expectError(
        await post('/v1/completions', { model: MODEL_ID, prompt: 7 }),
        400,
        'DTE_ERR_SERVER_INVALID_REQUEST',
        'prompt',
      );
      expectError(
        await post('/v1/embeddings', { model: MODEL_ID, input: { text: 'x' } }),
        400,
        'DTE_ERR_SERVER_INVALID_REQUEST',
        'input',
      );
    });
    it('missing and empty fields', async () => {
      expectError(
        await post('/v1/chat/completions', { model: MODEL_ID, messages: [] }),
        400,
        'DTE_ERR_SERVER_INVALID_REQUEST',
        'messages',
      );
      expectError(
        await post('/v1/chat/completions', { messages: [{ role: 'user', content: 'x' }] }),
        400,
        'DTE_ERR_SERVER_INVALID_REQUEST',
        'model',
      );
      expectError(
        await post('/v1/completions', { model: MODEL_ID, prompt: '' }),
        400,
        'DTE_ERR_SERVER_INVALID_REQUEST',
        'prompt',
      );
    });
    it('non-text content parts are rejected with param messages', async () => {
      const res = await post('/v1/chat/completions', {
        model: MODEL_ID,
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }],
      });
      expectError(res, 400, 'DTE_ERR_SERVER_INVALID_REQUEST', 'messages');
    });
    it('unknown model → 404', async () => {
      expectError(
        await post('/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
        404,
        'DTE_ERR_SERVER_MODEL_NOT_FOUND',
        'model',
      );
      expectError(
        await post('/v1/embeddings', { model: 'gpt-4o', input: 'x' }),
        404,
        'DTE_ERR_SERVER_MODEL_NOT_FOUND',
        'model',
      );
    });
    it('max_tokens beyond the context → 400 context length', async () => {
      expectError(await chat({ max_tokens: served.maxModelLen }), 400, 'DTE_ERR_SERVER_CONTEXT_LENGTH', 'max_tokens');
      expectError(
        await chat({ max_completion_tokens: served.maxModelLen }),
        400,
        'DTE_ERR_SERVER_CONTEXT_LENGTH',
        'max_completion_tokens',
      );
    });
    it('out-of-range sampling values', async () => {
      expectError(await chat({ temperature: -0.5 }), 400, 'DTE_ERR_SERVER_INVALID_REQUEST', 'temperature');
      expectError(await chat({ top_p: 1.5 }), 400, 'DTE_ERR_SERVER_INVALID_REQUEST', 'top_p');
      expectError(await chat({ presence_penalty: 3 }), 400, 'DTE_ERR_SERVER_INVALID_REQUEST', 'presence_penalty');
      expectError(await chat({ logit_bias: { '999999': 1 } }), 400, 'DTE_ERR_SERVER_INVALID_REQUEST', 'logit_bias');
      expectError(await chat({ top_logprobs: 2 }), 400, 'DTE_ERR_SERVER_INVALID_REQUEST', 'top_logprobs');
    });
    it('n too large → 400 on n', async () => {
      expectError(await chat({ n: 9 }), 400, 'DTE_ERR_SERVER_INVALID_REQUEST', 'n');
      expectError(await chat({ n: 1000 }), 400, 'DTE_ERR_SERVER_INVALID_REQUEST', 'n');
    });
    it('unknown fields are ignored', async () => {
      const res = await chat({ max_tokens: 2, frobnicate: true, metadata: { a: 1 } });
      expect(res.statusCode).toBe(200);
    });
    it('unknown route → 404 envelope', async () => {
      expectError(await app.inject({ url: '/v1/nothing' }), 404, 'DTE_ERR_SERVER_ROUTE_NOT_FOUND');
      const wrong = await app.inject({ url: '/v1/chat/completions' });
      expectError(wrong, 405, 'DTE_ERR_SERVER_METHOD_NOT_ALLOWED');
      expect(wrong.headers.allow).toBe('POST');
    });
  });
});
