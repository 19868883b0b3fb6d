import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasSharedModel } from '@dte/testkit';
import { describe, expect, it } from 'vitest';
import { apiKeysFromEnv, buildApp, isRouteAllowed, loadApiKeysFile, RateLimiter } from '../src/index.ts';
import { MODEL_ID, storiesApp } from './support/storiesApp.ts';

const KEYS = [
  { key: 'sk-all-00000000' },
  { key: 'sk-models-only-0', routes: ['/v1/models'] },
  { key: 'sk-prefix-000000', routes: ['/v1/*'] },
  { key: 'sk-limited-00000', requestsPerMinute: 2 },
];

describe('API keys', () => {
  it('401 without or with a wrong key; /health stays open; Bearer and x-api-key both work', async () => {
    const app = await buildApp({ apiKeys: KEYS });
    const none = await app.inject({ url: '/v1/models' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('DTE_ERR_SERVER_UNAUTHORIZED');
    expect(none.json().error.type).toBe('authentication_error');
    expect(
      (await app.inject({ url: '/v1/models', headers: { authorization: 'Bearer sk-nope-0000000' } })).statusCode,
    ).toBe(401);
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
    expect(
      (await app.inject({ url: '/v1/models', headers: { authorization: 'Bearer sk-all-00000000' } })).statusCode,
    ).toBe(200);
    expect((await app.inject({ url: '/v1/models', headers: { 'x-api-key': 'sk-all-00000000' } })).statusCode).toBe(200);
    await app.close();
  });

  it('403 outside a key’s routes (exact and prefix rules)', async () => {
    const app = await buildApp({ apiKeys: KEYS });
    const h = (key: string) => ({ authorization: `Bearer ${key}` });
    expect((await app.inject({ url: '/v1/models', headers: h('sk-models-only-0') })).statusCode).toBe(200);
    const res = await app.inject({ url: '/metrics', headers: h('sk-models-only-0') });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('DTE_ERR_SERVER_FORBIDDEN');
    expect((await app.inject({ url: '/v1/models', headers: h('sk-prefix-000000') })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics', headers: h('sk-prefix-000000') })).statusCode).toBe(403);
    await app.close();
  });

  it('429 with Retry-After past requests per minute; the window slides', async () => {
    let now = 1_000_000;
    const app = await buildApp({ apiKeys: KEYS, now: () => now });
    const get = () => app.inject({ url: '/v1/models', headers: { 'x-api-key': 'sk-limited-00000' } });
    expect((await get()).statusCode).toBe(200);
    now += 10_000;
    expect((await get()).statusCode).toBe(200);
    const limited = await get();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('DTE_ERR_SERVER_RATE_LIMITED');
    expect(limited.headers['retry-after']).toBe('50');
    now += 50_001;
    expect((await get()).statusCode).toBe(200);
    await app.close();
  });

  it('RateLimiter: tokens per minute are charged after use', () => {
    let now = 0;
    const rl = new RateLimiter(() => now);
    const limits = { tokensPerMinute: 100 };
    expect(rl.check('k', limits).ok).toBe(true);
    rl.addTokens('k', 100);
    const v = rl.check('k', limits);
    expect(v).toMatchObject({ ok: false, limit: 'tokens', retryAfterS: 60 });
    now = 60_001;
    expect(rl.check('k', limits).ok).toBe(true);
    expect(rl.check('other', limits).ok).toBe(true);
  });

  it('keys file and environment are validated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dte-keys-'));
    const good = join(dir, 'good.json');
    writeFileSync(
      good,
      JSON.stringify({ keys: [{ key: 'sk-file-0000000', routes: ['/v1/chat/completions'], tokensPerMinute: 500 }] }),
    );
    const keys = loadApiKeysFile(good);
    expect(keys[0]).toMatchObject({ key: 'sk-file-0000000', tokensPerMinute: 500 });
    expect(isRouteAllowed(keys[0]!, '/v1/chat/completions')).toBe(true);
    expect(isRouteAllowed(keys[0]!, '/v1/embeddings')).toBe(false);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ keys: [{ key: 'sk-file-0000000', requestsPerMinute: -1 }] }));
    expect(() => loadApiKeysFile(bad)).toThrow(expect.objectContaining({ code: 'DTE_ERR_SERVER_BAD_CONFIG' }));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{');
    expect(() => loadApiKeysFile(broken)).toThrow(expect.objectContaining({ code: 'DTE_ERR_SERVER_BAD_CONFIG' }));
    expect(apiKeysFromEnv(' sk-env-a0000000, sk-env-b0000000 ').map((k) => k.key)).toEqual([
      'sk-env-a0000000',
      'sk-env-b0000000',
    ]);
    expect(apiKeysFromEnv(undefined)).toEqual([]);
  });
});

describe.skipIf(!hasSharedModel())('API keys with a model', () => {
  it('tokens per minute: a key is refused (429) once its generations used the budget', async () => {
    let now = 5_000_000;
    const { app } = await storiesApp({ apiKeys: [{ key: 'sk-tokens-000000', tokensPerMinute: 30 }], now: () => now });
    const headers = { authorization: 'Bearer sk-tokens-000000' };
    const payload = { model: MODEL_ID, prompt: 'Once upon a time', max_tokens: 25, ignore_eos: true };
    const first = await app.inject({ method: 'POST', url: '/v1/completions', headers, payload });
    expect(first.statusCode).toBe(200);
    expect(first.json().usage.total_tokens).toBeGreaterThanOrEqual(30);
    const second = await app.inject({ method: 'POST', url: '/v1/completions', headers, payload });
    expect(second.statusCode).toBe(429);
    expect(second.json().error.code).toBe('DTE_ERR_SERVER_RATE_LIMITED');
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
    now += 60_001;
    expect((await app.inject({ method: 'POST', url: '/v1/completions', headers, payload })).statusCode).toBe(200);
    await app.close();
  });
});
