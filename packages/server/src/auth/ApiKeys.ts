import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ServerError } from '../ServerError.ts';

/** One API key entry of a keys file: the key, the routes it may call and its per-minute limits. */
export const ApiKeyEntry = z.object({
  key: z.string().min(8, 'a key must have at least 8 characters'),
  /** Display name for logs (never the key itself). */
  name: z.string().optional(),
  /** Allowed routes: exact paths (`/v1/chat/completions`) or prefixes ending in `*` (`/v1/*`). Default: all. */
  routes: z.array(z.string().startsWith('/')).optional(),
  requestsPerMinute: z.number().int().positive().optional(),
  tokensPerMinute: z.number().int().positive().optional(),
});
export type ApiKeyEntry = z.infer<typeof ApiKeyEntry>;

/** The keys file: `{"keys": [{"key": "sk-…", "routes": [...], "requestsPerMinute": 60, "tokensPerMinute": 10000}]}`. */
export const ApiKeysFile = z.object({ keys: z.array(ApiKeyEntry) });

/** Whether `entry` may call `path` (no `routes` = every route). */
export function isRouteAllowed(entry: ApiKeyEntry, path: string): boolean {
  if (entry.routes === undefined) return true;
  return entry.routes.some((r) => (r.endsWith('*') ? path.startsWith(r.slice(0, -1)) : path === r));
}

/**
 * Reads and validates a keys file; throws `DTE_ERR_SERVER_BAD_CONFIG` naming the bad field.
 * @example loadApiKeysFile('keys.json') // [{ key: 'sk-…', requestsPerMinute: 60 }]
 */
export function loadApiKeysFile(path: string): ApiKeyEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ServerError('DTE_ERR_SERVER_BAD_CONFIG', `api keys file ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const parsed = ApiKeysFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ServerError(
      'DTE_ERR_SERVER_BAD_CONFIG',
      `api keys file ${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data.keys;
}

/** Keys from an environment value: comma-separated, each unrestricted (`DTE_API_KEYS=sk-a,sk-b`). */
export function apiKeysFromEnv(value: string | undefined): ApiKeyEntry[] {
  if (value === undefined || value.trim() === '') return [];
  return value
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k.length > 0)
    .map((key) => ApiKeyEntry.parse({ key }));
}
