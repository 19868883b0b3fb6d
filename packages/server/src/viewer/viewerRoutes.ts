import type { FastifyPluginAsync } from 'fastify';
import type { ViewerHub } from './ViewerHub.ts';
import { viewerPage } from './viewerPage.ts';

/**
 * `GET /viewer`: the live page (canvas + agent panel); `GET /viewer/events`: Server-Sent Events, one
 * `frame` event per tick. A disconnected client unsubscribes at once.
 */
export const viewerRoutes: FastifyPluginAsync<{ hub: ViewerHub }> = async (app, opts) => {
  app.get('/viewer', async (_req, reply) => reply.type('text/html; charset=utf-8').send(viewerPage()));
  app.get('/viewer/events', (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const off = opts.hub.subscribe((frame) => {
      res.write(`event: frame\ndata: ${JSON.stringify(frame)}\n\n`);
    });
    req.raw.on('close', off);
  });
};
