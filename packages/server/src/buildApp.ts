import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ChatAgentDirectory } from './agents/ChatAgent.ts';
import type { ApiKeyEntry } from './auth/ApiKeys.ts';
import { authPlugin } from './plugins/authPlugin.ts';
import { enginePlugin } from './plugins/enginePlugin.ts';
import { errorPlugin } from './plugins/errorPlugin.ts';
import { metricsPlugin } from './plugins/metricsPlugin.ts';
import { healthRoutes } from './routes/health.ts';
import { chatCompletionsRoute } from './routes/v1/chatCompletions.ts';
import { completionsRoute } from './routes/v1/completions.ts';
import { embeddingsRoute } from './routes/v1/embeddings.ts';
import { modelsRoute } from './routes/v1/models.ts';
import type { ServedModel } from './ServedModel.ts';
import type { ViewerHub } from './viewer/ViewerHub.ts';
import { viewerRoutes } from './viewer/viewerRoutes.ts';

/** Options for {@link buildApp}. */
export interface AppOptions {
  /** Fastify logger: `false` (default), `true`, a pino options object or a pino logger (`loggerInstance`). */
  logger?: boolean | Record<string, unknown>;
  /** Name of the served model, reported by `/health` (default: the served model's id). */
  modelName?: string;
  /** The model behind the OpenAI routes; without it they answer 503. */
  served?: ServedModel | null;
  /** API keys; empty or absent = no authentication. */
  apiKeys?: readonly ApiKeyEntry[];
  /** Waiting sequences beyond which new requests get 503 + `Retry-After`. Default 256. */
  maxWaiting?: number;
  /** Close the served model when the app closes. Default true. */
  closeModelWithApp?: boolean;
  /** Largest request body in bytes. Default 8 MiB. */
  bodyLimit?: number;
  /** Clock in ms for rate limits (tests). */
  now?: () => number;
  /** When given, serves the live arena viewer (`/viewer`, `/viewer/events`) from this hub. */
  viewerHub?: ViewerHub;
  /** Embodied agents served as chat models `agent/<id>` beside the base model. */
  agents?: ChatAgentDirectory;
}

/**
 * Builds the HTTP application without listening, so tests use `app.inject()` and the CLI owns `listen`:
 * an OpenAI-compatible API (`/v1/models`, `/v1/completions`, `/v1/chat/completions`, `/v1/embeddings`),
 * `/health`, `/metrics`, optional API keys and the live viewer.
 * @example const app = await buildApp({ served: await loadServedModel('m.gguf', { backend: 'reference' }) }); await app.inject({ url: '/v1/models' })
 */
export async function buildApp(opts: AppOptions = {}): Promise<FastifyInstance> {
  const logger = opts.logger ?? false;
  const isInstance = typeof logger === 'object' && typeof (logger as { child?: unknown }).child === 'function';
  const app = Fastify({
    ...(isInstance ? { loggerInstance: logger as never } : { logger }),
    bodyLimit: opts.bodyLimit ?? 8 << 20,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const served = opts.served ?? null;
  app.decorate('chatAgents', opts.agents ?? null);
  await app.register(errorPlugin);
  await app.register(enginePlugin, {
    served,
    ...(opts.maxWaiting !== undefined ? { maxWaiting: opts.maxWaiting } : {}),
    ...(opts.closeModelWithApp !== undefined ? { closeWithApp: opts.closeModelWithApp } : {}),
  });
  await app.register(authPlugin, { keys: opts.apiKeys ?? [], ...(opts.now ? { now: opts.now } : {}) });
  await app.register(metricsPlugin);
  await app.register(healthRoutes, { modelName: opts.modelName ?? served?.id ?? null });
  await app.register(modelsRoute);
  await app.register(chatCompletionsRoute);
  await app.register(completionsRoute);
  await app.register(embeddingsRoute);
  if (opts.viewerHub) await app.register(viewerRoutes, { hub: opts.viewerHub });
  // The logger generic differs when a pino instance is passed; callers only need the base type.
  return app as unknown as FastifyInstance;
}
