import type { FastifyError, FastifyPluginAsync, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ServerError, type ServerErrorCode } from '../ServerError.ts';

/** OpenAI's error body. */
export interface ErrorEnvelope {
  error: { message: string; type: string; param: string | null; code: string };
}

/** Engine-core codes that are the client's fault (400) or a temporary capacity problem (503). */
const ENGINE_CODE_MAP: Record<string, ServerErrorCode> = {
  DTE_ERR_ENGINE_BAD_PARAMS: 'DTE_ERR_SERVER_INVALID_REQUEST',
  DTE_ERR_ENGINE_BAD_REQUEST: 'DTE_ERR_SERVER_INVALID_REQUEST',
  DTE_ERR_ENGINE_PROMPT_TOO_LONG: 'DTE_ERR_SERVER_CONTEXT_LENGTH',
  DTE_ERR_ENGINE_KV_EXHAUSTED: 'DTE_ERR_SERVER_OVERLOADED',
  DTE_ERR_ENGINE_CLOSED: 'DTE_ERR_SERVER_SHUTTING_DOWN',
  DTE_ERR_CHAT_BAD_MESSAGES: 'DTE_ERR_SERVER_INVALID_REQUEST',
  DTE_ERR_CHAT_RENDER_FAILED: 'DTE_ERR_SERVER_INVALID_REQUEST',
  DTE_ERR_TOKENIZER_BAD_TOKEN_ID: 'DTE_ERR_SERVER_INVALID_REQUEST',
  DTE_ERR_TOKENIZER_BAD_INPUT: 'DTE_ERR_SERVER_INVALID_REQUEST',
  DTE_ERR_TOKENIZER_UNENCODABLE: 'DTE_ERR_SERVER_INVALID_REQUEST',
  DTE_ERR_STRUCTURED_UNSUPPORTED_SCHEMA: 'DTE_ERR_SERVER_UNSUPPORTED_SCHEMA',
  DTE_ERR_STRUCTURED_BAD_SCHEMA: 'DTE_ERR_SERVER_INVALID_REQUEST',
};

/** `/messages/0/role` → `messages.0.role` (OpenAI's dotted `param`). */
function paramOf(path: string | undefined): string | null {
  if (path === undefined || path === '' || path === '/') return null;
  return path.replace(/^\//, '').replaceAll('/', '.');
}

/**
 * Turns anything thrown by a route, a hook, fastify's body parser or the engine into a
 * {@link ServerError}: the one place codes are mapped to HTTP statuses.
 */
export function toServerError(err: unknown): ServerError {
  if (err instanceof ServerError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const first = err.validation[0];
    const param = paramOf(first?.instancePath);
    const what = first?.message ?? 'invalid request';
    return new ServerError('DTE_ERR_SERVER_INVALID_REQUEST', `${param ?? 'body'}: ${what}`, { param, cause: err });
  }
  const e = err as Partial<FastifyError> & { code?: unknown; message?: string };
  const message = typeof e.message === 'string' ? e.message : String(err);
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ServerError('DTE_ERR_SERVER_INVALID_JSON', `We could not parse the JSON body: ${message}`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ServerError('DTE_ERR_SERVER_PAYLOAD_TOO_LARGE', message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ServerError('DTE_ERR_SERVER_INVALID_REQUEST', message);
  }
  if (err instanceof SyntaxError && e.statusCode === 400) {
    return new ServerError('DTE_ERR_SERVER_INVALID_JSON', `We could not parse the JSON body: ${message}`);
  }
  if (typeof e.code === 'string') {
    const mapped = ENGINE_CODE_MAP[e.code];
    if (mapped !== undefined) {
      return new ServerError(mapped, message, {
        cause: err,
        ...(mapped === 'DTE_ERR_SERVER_OVERLOADED' ? { retryAfterS: 1 } : {}),
      });
    }
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new ServerError('DTE_ERR_SERVER_INVALID_REQUEST', message, { cause: err });
  }
  return new ServerError('DTE_ERR_SERVER_INTERNAL', `internal error: ${message}`, { cause: err });
}

/** The OpenAI envelope of a server error. */
export function envelopeOf(err: ServerError): ErrorEnvelope {
  return { error: { message: err.message, type: err.type, param: err.param, code: err.code } };
}

/** Sends `err` as OpenAI's envelope with its status (and `Retry-After` where it has one). */
export function sendError(reply: FastifyReply, err: ServerError): FastifyReply {
  if (err.retryAfterS !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(err.retryAfterS))));
  return reply.code(err.statusCode).type('application/json; charset=utf-8').send(envelopeOf(err));
}

/** Error mapping: one handler for every thrown error, one for unknown routes, both as OpenAI's envelope. */
export const errorPlugin: FastifyPluginAsync = fp(
  async (app) => {
    app.setErrorHandler((err, req, reply) => {
      const mapped = toServerError(err);
      if (mapped.statusCode >= 500) req.log.error({ err }, 'request failed');
      return sendError(reply, mapped);
    });
    app.setNotFoundHandler((req, reply) => {
      const url = req.url.split('?')[0] ?? '/';
      const other = (['GET', 'POST'] as const).find((method) => method !== req.method && app.hasRoute({ method, url }));
      if (other !== undefined) {
        reply.header('allow', other);
        return sendError(
          reply,
          new ServerError('DTE_ERR_SERVER_METHOD_NOT_ALLOWED', `${req.method} ${url}: use ${other}`),
        );
      }
      return sendError(reply, new ServerError('DTE_ERR_SERVER_ROUTE_NOT_FOUND', `Invalid URL (${req.method} ${url})`));
    });
  },
  { name: 'dte-errors' },
);
