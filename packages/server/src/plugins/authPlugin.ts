import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type ApiKeyEntry, isRouteAllowed } from '../auth/ApiKeys.ts';
import { RateLimiter } from '../auth/RateLimiter.ts';
import { ServerError } from '../ServerError.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated key (null when keys are not configured). */
    apiKey: ApiKeyEntry | null;
  }
  interface FastifyInstance {
    /** Charges tokens a request used to its key's tokens-per-minute window. */
    chargeTokens(req: FastifyRequest, numTokens: number): void;
  }
}

/** Options of {@link authPlugin}. */
export interface AuthPluginOptions {
  keys: readonly ApiKeyEntry[];
  /** Clock in ms for the rate windows (tests). */
  now?: () => number;
}

const OPEN_ROUTES = new Set(['/health']);

function presentedKey(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m) return m[1]!.trim();
  }
  const x = req.headers['x-api-key'];
  return typeof x === 'string' && x.length > 0 ? x : undefined;
}

/**
 * API keys (`Authorization: Bearer` or `x-api-key`) on every route but `/health`, with per-key allowed
 * routes (403) and requests/tokens per minute (429 with `Retry-After`). No keys configured: open.
 */
export const authPlugin = fp<AuthPluginOptions>(
  async (app, opts) => {
    const byKey = new Map(opts.keys.map((k) => [k.key, k]));
    const limiter = new RateLimiter(opts.now);
    app.decorateRequest('apiKey', null);
    app.decorate('chargeTokens', (req: FastifyRequest, numTokens: number) => {
      if (req.apiKey !== null) limiter.addTokens(req.apiKey.key, numTokens);
    });
    if (byKey.size === 0) return;
    app.addHook('onRequest', async (req) => {
      const path = req.url.split('?')[0] ?? '/';
      if (OPEN_ROUTES.has(path)) return;
      const presented = presentedKey(req);
      if (presented === undefined) {
        throw new ServerError(
          'DTE_ERR_SERVER_UNAUTHORIZED',
          "You didn't provide an API key (Authorization: Bearer <key> or x-api-key).",
        );
      }
      const entry = byKey.get(presented);
      if (entry === undefined) throw new ServerError('DTE_ERR_SERVER_UNAUTHORIZED', 'Incorrect API key provided.');
      if (!isRouteAllowed(entry, path)) {
        throw new ServerError('DTE_ERR_SERVER_FORBIDDEN', `This API key may not call ${path}.`);
      }
      const verdict = limiter.check(entry.key, entry);
      if (!verdict.ok) {
        throw new ServerError('DTE_ERR_SERVER_RATE_LIMITED', `Rate limit reached for ${verdict.limit} per minute.`, {
          retryAfterS: verdict.retryAfterS,
        });
      }
      req.apiKey = entry;
    });
  },
  { name: 'dte-auth' },
);
