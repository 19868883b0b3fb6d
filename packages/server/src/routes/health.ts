import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';

/** The `/health` body: liveness plus what is loaded. */
export const HealthResponse = z.object({
  status: z.literal('ok'),
  model: z.string().nullable(),
  uptime_s: z.number().nonnegative(),
});

/** `GET /health`: always unauthenticated, answers while the engine computes. */
export const healthRoutes: FastifyPluginAsync<{ modelName: string | null }> = async (app, opts) => {
  const started = process.hrtime.bigint();
  app.get('/health', async () =>
    HealthResponse.parse({
      status: 'ok',
      model: opts.modelName,
      uptime_s: Number(process.hrtime.bigint() - started) / 1e9,
    }),
  );
};
