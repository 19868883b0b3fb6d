import Fastify, { type FastifyInstance } from 'fastify';
import { healthRoutes } from './routes/health.ts';
import type { ViewerHub } from './viewer/ViewerHub.ts';
import { viewerRoutes } from './viewer/viewerRoutes.ts';

/** Options for {@link buildApp}. */
export interface AppOptions {
  /** Fastify logger: `false` (default) or a pino options object. */
  logger?: boolean | Record<string, unknown>;
  /** Name of the served model, reported by `/health`. */
  modelName?: string;
  /** When given, serves the live arena viewer (`/viewer`, `/viewer/events`) from this hub. */
  viewerHub?: ViewerHub;
}

/**
 * Builds the HTTP application without listening, so tests use `app.inject()` and the CLI owns `listen`.
 * @example const app = await buildApp({ modelName: 'stories260K' }); await app.inject({ url: '/health' })
 */
export async function buildApp(opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: opts.logger ?? false });
  await app.register(healthRoutes, { modelName: opts.modelName ?? null });
  if (opts.viewerHub) await app.register(viewerRoutes, { hub: opts.viewerHub });
  return app;
}
