import Fastify, { type FastifyInstance } from 'fastify';
import { healthRoutes } from './routes/health.ts';

/** Options for {@link buildApp}. */
export interface AppOptions {
  /** Fastify logger: `false` (default) or a pino options object. */
  logger?: boolean | Record<string, unknown>;
  /** Name of the served model, reported by `/health`. */
  modelName?: string;
}

/**
 * Builds the HTTP application without listening, so tests use `app.inject()` and the CLI owns `listen`.
 * @example const app = await buildApp({ modelName: 'stories260K' }); await app.inject({ url: '/health' })
 */
export async function buildApp(opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: opts.logger ?? false });
  await app.register(healthRoutes, { modelName: opts.modelName ?? null });
  return app;
}
