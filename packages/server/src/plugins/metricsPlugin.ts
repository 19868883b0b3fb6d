import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { ServerMetrics } from '../metrics/ServerMetrics.ts';

declare module 'fastify' {
  interface FastifyInstance {
    serverMetrics: ServerMetrics;
  }
}

/** `GET /metrics` (Prometheus text) and per-route response counters. Needs the engine plugin first. */
export const metricsPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const metrics = new ServerMetrics();
    app.decorate('serverMetrics', metrics);
    app.addHook('onResponse', async (req, reply) => {
      metrics.countRequest(req.routeOptions.url ?? 'unknown', reply.statusCode);
    });
    app.get('/metrics', async (_req, reply) => {
      const served = app.served;
      const gauges = served === null ? null : { ...served.engine.metrics(), numBlocks: served.engine.numBlocks };
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(metrics.render(gauges));
    });
  },
  { name: 'dte-metrics', dependencies: ['dte-engine'] },
);
