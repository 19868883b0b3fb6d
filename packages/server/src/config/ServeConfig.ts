import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ServerError } from '../ServerError.ts';
import { parseByteSize } from './parseByteSize.ts';

const ByteSize = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const bytes = parseByteSize(v);
  if (bytes === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a size like 512MiB or 2GiB, got '${v}'` });
    return z.NEVER;
  }
  return bytes;
});
const Int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** `dte serve` settings after validation (flags > environment > config file > defaults). */
export const ServeConfig = z.object({
  model: z.string({ error: 'a model is required (--model FILE.gguf or DTE_MODEL)' }).min(1),
  servedModelName: z.string().min(1).optional(),
  host: z.string().min(1).default('127.0.0.1'),
  port: Int(0, 65535).default(8000),
  apiKeysFile: z.string().min(1).optional(),
  /** Comma-separated keys (usually from `DTE_API_KEYS`). */
  apiKeys: z.string().optional(),
  kvCacheMemory: ByteSize.optional(),
  maxNumSeqs: Int(1, 4096).default(64),
  maxModelLen: Int(1, 1 << 24).optional(),
  schedulingPolicy: z.enum(['fcfs', 'priority']).default('fcfs'),
  /** cpu, cuda, auto (CUDA when a device is usable) or reference; native is the old name of cpu. */
  backend: z.enum(['cpu', 'cuda', 'auto', 'reference', 'native']).default('cpu'),
  maxWaiting: Int(0, 1 << 20).default(256),
  shutdownGraceS: z.coerce.number().min(0).max(3600).default(10),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  seed: Int(0, 2 ** 32 - 1).optional(),
});
export type ServeConfig = z.infer<typeof ServeConfig>;

/** Settings field → flag name and environment variable. */
export const SERVE_CONFIG_SOURCES: Record<keyof ServeConfig, { flag: string; env: string }> = {
  model: { flag: 'model', env: 'DTE_MODEL' },
  servedModelName: { flag: 'served-model-name', env: 'DTE_SERVED_MODEL_NAME' },
  host: { flag: 'host', env: 'DTE_HOST' },
  port: { flag: 'port', env: 'DTE_PORT' },
  apiKeysFile: { flag: 'api-keys-file', env: 'DTE_API_KEYS_FILE' },
  apiKeys: { flag: 'api-keys', env: 'DTE_API_KEYS' },
  kvCacheMemory: { flag: 'kv-cache-memory', env: 'DTE_KV_CACHE_MEMORY' },
  maxNumSeqs: { flag: 'max-num-seqs', env: 'DTE_MAX_NUM_SEQS' },
  maxModelLen: { flag: 'max-model-len', env: 'DTE_MAX_MODEL_LEN' },
  schedulingPolicy: { flag: 'scheduling-policy', env: 'DTE_SCHEDULING_POLICY' },
  backend: { flag: 'backend', env: 'DTE_BACKEND' },
  maxWaiting: { flag: 'max-waiting', env: 'DTE_MAX_WAITING' },
  shutdownGraceS: { flag: 'shutdown-grace', env: 'DTE_SHUTDOWN_GRACE_S' },
  logLevel: { flag: 'log-level', env: 'DTE_LOG_LEVEL' },
  seed: { flag: 'seed', env: 'DTE_SEED' },
};

/** Where the settings come from. */
export interface ServeConfigSources {
  /** Parsed command-line flags by flag name (`'kv-cache-memory': '2GiB'`). */
  flags?: Record<string, string | undefined>;
  env?: Record<string, string | undefined>;
  /** Path of a JSON config file with the camelCase field names. */
  configFile?: string;
}

/**
 * Merges flags over environment over an optional JSON file over defaults and validates the result.
 * @throws ServerError `DTE_ERR_SERVER_BAD_CONFIG` naming the field and where its value came from.
 * @example resolveServeConfig({ flags: { model: 'm.gguf', port: '9000' }, env: process.env })
 */
export function resolveServeConfig(sources: ServeConfigSources): ServeConfig {
  let fromFile: Record<string, unknown> = {};
  if (sources.configFile !== undefined) {
    try {
      fromFile = JSON.parse(readFileSync(sources.configFile, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new ServerError(
        'DTE_ERR_SERVER_BAD_CONFIG',
        `config file ${sources.configFile}: ${(err as Error).message}`,
      );
    }
    if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile)) {
      throw new ServerError('DTE_ERR_SERVER_BAD_CONFIG', `config file ${sources.configFile}: must hold a JSON object`);
    }
    const unknown = Object.keys(fromFile).filter((k) => !(k in SERVE_CONFIG_SOURCES));
    if (unknown.length > 0) {
      throw new ServerError(
        'DTE_ERR_SERVER_BAD_CONFIG',
        `config file ${sources.configFile}: unknown field ${unknown.join(', ')}`,
      );
    }
  }
  const merged: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const [field, { flag, env }] of Object.entries(SERVE_CONFIG_SOURCES)) {
    const f = sources.flags?.[flag];
    const e = sources.env?.[env];
    if (f !== undefined) {
      merged[field] = f;
      origin[field] = `--${flag}`;
    } else if (e !== undefined && e !== '') {
      merged[field] = e;
      origin[field] = `$${env}`;
    } else if (fromFile[field] !== undefined) {
      merged[field] = fromFile[field];
      origin[field] = `${sources.configFile}: ${field}`;
    }
  }
  const parsed = ServeConfig.safeParse(merged);
  if (!parsed.success) {
    const messages = parsed.error.issues.map((issue) => {
      const field = String(issue.path[0] ?? '');
      const src = origin[field] ?? `--${SERVE_CONFIG_SOURCES[field as keyof ServeConfig]?.flag ?? field}`;
      const value = merged[field] === undefined ? '' : ` '${String(merged[field])}'`;
      return `${src}${value}: ${issue.message}`;
    });
    throw new ServerError('DTE_ERR_SERVER_BAD_CONFIG', `invalid serve configuration: ${messages.join('; ')}`);
  }
  return parsed.data;
}
