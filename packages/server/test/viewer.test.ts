import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { buildApp, ViewerHub } from '../src/index.ts';

describe('viewer routes', () => {
  it('serves the page and streams frames over SSE, replaying the latest frame to new clients', async () => {
    const hub = new ViewerHub();
    const app = await buildApp({ viewerHub: hub });
    const page = await app.inject({ url: '/viewer' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('EventSource');
    hub.publish({ tick: 1, world: { width: 1 }, agents: [] });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(`${address}/viewer/events`, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream');
        let data = '';
        res.on('data', (chunk: Buffer) => {
          data += chunk.toString();
          if (data.includes('"tick":1') && !data.includes('"tick":2')) hub.publish({ tick: 2, world: {}, agents: [] });
          if (data.includes('"tick":2')) {
            req.destroy();
            resolve(data);
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(body).toMatch(/event: frame\ndata: \{"tick":1/);
    await new Promise((r) => setTimeout(r, 50));
    expect(hub.numSubscribers).toBe(0);
    await app.close();
  });
});
