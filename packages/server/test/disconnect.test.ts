import { request } from 'node:http';
import { hasSharedModel } from '@dte/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_ID, storiesApp } from './support/storiesApp.ts';

function gauge(metrics: string, name: string): number {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics);
  if (!m) throw new Error(`no ${name}`);
  return Number(m[1]);
}

describe.skipIf(!hasSharedModel())('client disconnect', () => {
  let app: FastifyInstance;
  let address: string;
  beforeAll(async () => {
    ({ app } = await storiesApp());
    address = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app.close();
  });

  const metrics = async () => (await fetch(`${address}/metrics`)).text();

  it('a disconnect mid-stream aborts the request and frees its KV blocks', async () => {
    expect(gauge(await metrics(), 'dte_kv_cache_blocks_in_use')).toBe(0);
    const body = JSON.stringify({
      model: MODEL_ID,
      messages: [{ role: 'user', content: 'Once upon a time there was a long story' }],
      max_tokens: 1500,
      ignore_eos: true,
      stream: true,
    });
    let inUseMidStream = -1;
    await new Promise<void>((resolve, reject) => {
      const req = request(
        `${address}/v1/chat/completions`,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          let numChunks = 0;
          res.on('data', async () => {
            if (++numChunks !== 5) return;
            inUseMidStream = gauge(await metrics(), 'dte_kv_cache_blocks_in_use');
            req.destroy();
            resolve();
          });
          res.on('error', () => {});
        },
      );
      req.on('error', (e) => (inUseMidStream < 0 ? reject(e) : undefined));
      req.end(body);
    });
    expect(inUseMidStream).toBeGreaterThan(0);
    let after = await metrics();
    for (let i = 0; i < 100 && gauge(after, 'dte_kv_cache_blocks_in_use') !== 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      after = await metrics();
    }
    expect(gauge(after, 'dte_kv_cache_blocks_in_use')).toBe(0);
    expect(gauge(after, 'dte_num_requests_running')).toBe(0);
    expect(gauge(after, 'dte_request_aborts_total')).toBe(1);
    // Far fewer than the 1500 tokens asked were generated.
    expect(gauge(after, 'dte_generation_tokens_total')).toBeLessThan(500);
  });

  it('a disconnect during a non-streaming request aborts it too', async () => {
    const before = gauge(await metrics(), 'dte_request_aborts_total');
    const body = JSON.stringify({ model: MODEL_ID, prompt: 'Once upon a time', max_tokens: 1500, ignore_eos: true });
    const req = request(`${address}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    req.on('error', () => {});
    req.end(body);
    let running = 0;
    for (let i = 0; i < 200 && running === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
      running = gauge(await metrics(), 'dte_num_requests_running');
    }
    expect(running).toBe(1);
    req.destroy();
    let after = await metrics();
    for (let i = 0; i < 100 && gauge(after, 'dte_kv_cache_blocks_in_use') !== 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      after = await metrics();
    }
    expect(gauge(after, 'dte_kv_cache_blocks_in_use')).toBe(0);
    expect(gauge(after, 'dte_num_requests_running')).toBe(0);
    expect(gauge(after, 'dte_request_aborts_total')).toBe(before + 1);
  });
});
