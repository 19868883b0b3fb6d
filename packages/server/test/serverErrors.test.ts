import { EngineError } from '@dte/engine-core';
import { describe, expect, it } from 'vitest';
import { buildApp, SERVER_ERRORS, ServerError, toServerError } from '../src/index.ts';

describe('SERVER_ERRORS registry', () => {
  it('every key equals its code, with a 4xx/5xx status and an OpenAI type', () => {
    for (const [key, spec] of Object.entries(SERVER_ERRORS)) {
      expect(spec.code).toBe(key);
      expect(key).toMatch(/^DTE_ERR_SERVER_[A-Z_]+$/);
      expect(spec.status).toBeGreaterThanOrEqual(400);
      expect(spec.status).toBeLessThan(600);
      const err = new ServerError(spec.code, 'x');
      expect(err.statusCode).toBe(spec.status);
      expect(err.type).toBe(spec.type);
    }
  });

  it('maps engine codes to statuses', () => {
    const cases: [string, number][] = [
      ['DTE_ERR_ENGINE_BAD_PARAMS', 400],
      ['DTE_ERR_ENGINE_PROMPT_TOO_LONG', 400],
      ['DTE_ERR_CHAT_BAD_MESSAGES', 400],
      ['DTE_ERR_ENGINE_KV_EXHAUSTED', 503],
      ['DTE_ERR_ENGINE_CLOSED', 503],
      ['DTE_ERR_ENGINE_EXECUTOR_FAILED', 500],
    ];
    for (const [code, status] of cases) {
      expect(toServerError(new EngineError(code as never, 'x')).statusCode).toBe(status);
    }
    expect(toServerError(new EngineError('DTE_ERR_ENGINE_KV_EXHAUSTED', 'x')).retryAfterS).toBe(1);
    expect(toServerError(new Error('boom')).code).toBe('DTE_ERR_SERVER_INTERNAL');
  });

  it('routes without a model answer 503; /v1/models is an empty list', async () => {
    const app = await buildApp();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      payload: { model: 'm', messages: [{ role: 'user', content: 'x' }] },
    });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('DTE_ERR_SERVER_NO_MODEL');
    expect((await app.inject({ url: '/v1/models' })).json().data).toEqual([]);
    await app.close();
  });
});
