import { hasSharedModel } from '@dte/testkit';
import { describe, expect, it } from 'vitest';
import { MODEL_ID, storiesApp } from './support/storiesApp.ts';

describe.skipIf(!hasSharedModel())('overload and shutdown', () => {
  it('503 with Retry-After once the waiting queue is full', async () => {
    const { app } = await storiesApp({ maxWaiting: 0 });
    const res = await app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      payload: { model: MODEL_ID, messages: [{ role: 'user', content: 'x' }] },
    });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('DTE_ERR_SERVER_OVERLOADED');
    expect(res.headers['retry-after']).toBe('1');
    await app.close();
  });

  it('503 while draining; in-flight requests can still finish', async () => {
    const { app, served } = await storiesApp();
    const inflight = app.inject({
      method: 'POST',
      url: '/v1/completions',
      payload: { model: MODEL_ID, prompt: 'Once', max_tokens: 20, ignore_eos: true },
    });
    // Wait until the request is inside the engine.
    for (let i = 0; i < 500 && served.engine.numRequests === 0; i++) await new Promise((r) => setTimeout(r, 2));
    expect(served.engine.numRequests).toBe(1);
    app.isDraining = true;
    const refused = await app.inject({
      method: 'POST',
      url: '/v1/completions',
      payload: { model: MODEL_ID, prompt: 'Once' },
    });
    expect(refused.statusCode).toBe(503);
    expect(refused.json().error.code).toBe('DTE_ERR_SERVER_SHUTTING_DOWN');
    expect(refused.headers['retry-after']).toBeDefined();
    const done = await inflight;
    expect(done.statusCode).toBe(200);
    expect(done.json().usage.completion_tokens).toBe(20);
    await app.close();
  });
});
