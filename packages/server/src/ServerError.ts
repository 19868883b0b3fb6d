/** OpenAI's error `type` strings used in the envelope. */
export type OpenAiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'overloaded_error'
  | 'server_error';

interface ErrorSpec {
  code: string;
  status: number;
  type: OpenAiErrorType;
}

function spec<C extends string>(code: C, status: number, type: OpenAiErrorType): ErrorSpec & { code: C } {
  return { code, status, type };
}

/**
 * The server's error registry (fastify's `FST_ERR_*` pattern): every stable code, its HTTP status and
 * the OpenAI envelope `type`. Each key equals its `code` (a test checks it).
 */
export const SERVER_ERRORS = {
  DTE_ERR_SERVER_INVALID_JSON: spec('DTE_ERR_SERVER_INVALID_JSON', 400, 'invalid_request_error'),
  DTE_ERR_SERVER_INVALID_REQUEST: spec('DTE_ERR_SERVER_INVALID_REQUEST', 400, 'invalid_request_error'),
  DTE_ERR_SERVER_CONTEXT_LENGTH: spec('DTE_ERR_SERVER_CONTEXT_LENGTH', 400, 'invalid_request_error'),
  DTE_ERR_SERVER_UNSUPPORTED_SCHEMA: spec('DTE_ERR_SERVER_UNSUPPORTED_SCHEMA', 400, 'invalid_request_error'),
  DTE_ERR_SERVER_PAYLOAD_TOO_LARGE: spec('DTE_ERR_SERVER_PAYLOAD_TOO_LARGE', 413, 'invalid_request_error'),
  DTE_ERR_SERVER_UNAUTHORIZED: spec('DTE_ERR_SERVER_UNAUTHORIZED', 401, 'authentication_error'),
  DTE_ERR_SERVER_FORBIDDEN: spec('DTE_ERR_SERVER_FORBIDDEN', 403, 'permission_error'),
  DTE_ERR_SERVER_MODEL_NOT_FOUND: spec('DTE_ERR_SERVER_MODEL_NOT_FOUND', 404, 'not_found_error'),
  DTE_ERR_SERVER_ROUTE_NOT_FOUND: spec('DTE_ERR_SERVER_ROUTE_NOT_FOUND', 404, 'not_found_error'),
  DTE_ERR_SERVER_METHOD_NOT_ALLOWED: spec('DTE_ERR_SERVER_METHOD_NOT_ALLOWED', 405, 'invalid_request_error'),
  DTE_ERR_SERVER_RATE_LIMITED: spec('DTE_ERR_SERVER_RATE_LIMITED', 429, 'rate_limit_error'),
  DTE_ERR_SERVER_OVERLOADED: spec('DTE_ERR_SERVER_OVERLOADED', 503, 'overloaded_error'),
  DTE_ERR_SERVER_SHUTTING_DOWN: spec('DTE_ERR_SERVER_SHUTTING_DOWN', 503, 'overloaded_error'),
  DTE_ERR_SERVER_NO_MODEL: spec('DTE_ERR_SERVER_NO_MODEL', 503, 'server_error'),
  DTE_ERR_SERVER_INTERNAL: spec('DTE_ERR_SERVER_INTERNAL', 500, 'server_error'),
  DTE_ERR_SERVER_BAD_CONFIG: spec('DTE_ERR_SERVER_BAD_CONFIG', 500, 'server_error'),
} as const;

/** Any stable server error code. */
export type ServerErrorCode = keyof typeof SERVER_ERRORS;

/** Extra fields of a {@link ServerError}. */
export interface ServerErrorOptions {
  /** The request field at fault (OpenAI's `param`), e.g. `messages` or `temperature`. */
  param?: string | null;
  /** Seconds a client should wait (429/503 `Retry-After`). */
  retryAfterS?: number;
  cause?: unknown;
}

/**
 * A typed server error: a stable `code` from {@link SERVER_ERRORS} with its HTTP `status`, mapped by
 * the error plugin to OpenAI's envelope `{ error: { message, type, param, code } }`.
 * @example throw new ServerError('DTE_ERR_SERVER_MODEL_NOT_FOUND', 'chat: model gpt-4 is not served', { param: 'model' })
 */
export class ServerError extends Error {
  override name = 'ServerError';
  readonly code: ServerErrorCode;
  readonly statusCode: number;
  readonly type: OpenAiErrorType;
  readonly param: string | null;
  readonly retryAfterS: number | undefined;

  constructor(code: ServerErrorCode, message: string, options: ServerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const s = SERVER_ERRORS[code];
    this.code = code;
    this.statusCode = s.status;
    this.type = s.type;
    this.param = options.param ?? null;
    this.retryAfterS = options.retryAfterS;
  }
}
