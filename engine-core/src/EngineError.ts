/**
 * The engine-core error registry: every stable code `DTE_ERR_*` thrown by `@dte/engine-core`.
 * Each key equals its value (a test checks it). Other parts of engine-core append their codes here,
 * one line each, grouped by area.
 */
export const ENGINE_ERRORS = {
  // GGUF reader / writer (engine-core/src/gguf)
  DTE_ERR_GGUF_BAD_MAGIC: 'DTE_ERR_GGUF_BAD_MAGIC',
  DTE_ERR_GGUF_BAD_VERSION: 'DTE_ERR_GGUF_BAD_VERSION',
  DTE_ERR_GGUF_TRUNCATED: 'DTE_ERR_GGUF_TRUNCATED',
  DTE_ERR_GGUF_BAD_TYPE: 'DTE_ERR_GGUF_BAD_TYPE',
  DTE_ERR_GGUF_BAD_METADATA: 'DTE_ERR_GGUF_BAD_METADATA',
  DTE_ERR_GGUF_BAD_TENSOR: 'DTE_ERR_GGUF_BAD_TENSOR',
  DTE_ERR_GGUF_BAD_ALIGNMENT: 'DTE_ERR_GGUF_BAD_ALIGNMENT',
  DTE_ERR_GGUF_MISSING_KEY: 'DTE_ERR_GGUF_MISSING_KEY',
  DTE_ERR_GGUF_BAD_SPEC: 'DTE_ERR_GGUF_BAD_SPEC',
  DTE_ERR_GGUF_IO: 'DTE_ERR_GGUF_IO',
  // Quantization (engine-core/src/gguf)
  DTE_ERR_QUANT_UNSUPPORTED: 'DTE_ERR_QUANT_UNSUPPORTED',
  DTE_ERR_QUANT_BAD_SIZE: 'DTE_ERR_QUANT_BAD_SIZE',
  // Converters (engine-core/src/convert)
  DTE_ERR_CONVERT_BAD_CHECKPOINT: 'DTE_ERR_CONVERT_BAD_CHECKPOINT',
  DTE_ERR_CONVERT_BAD_TOKENIZER: 'DTE_ERR_CONVERT_BAD_TOKENIZER',
  // Serving engine (engine-core/src/engine)
  DTE_ERR_ENGINE_BAD_PARAMS: 'DTE_ERR_ENGINE_BAD_PARAMS',
  DTE_ERR_ENGINE_BAD_REQUEST: 'DTE_ERR_ENGINE_BAD_REQUEST',
  DTE_ERR_ENGINE_PROMPT_TOO_LONG: 'DTE_ERR_ENGINE_PROMPT_TOO_LONG',
  DTE_ERR_ENGINE_KV_EXHAUSTED: 'DTE_ERR_ENGINE_KV_EXHAUSTED',
  DTE_ERR_ENGINE_DUPLICATE_REQUEST: 'DTE_ERR_ENGINE_DUPLICATE_REQUEST',
  DTE_ERR_ENGINE_BAD_CONFIG: 'DTE_ERR_ENGINE_BAD_CONFIG',
  DTE_ERR_ENGINE_EXECUTOR_FAILED: 'DTE_ERR_ENGINE_EXECUTOR_FAILED',
  DTE_ERR_ENGINE_CLOSED: 'DTE_ERR_ENGINE_CLOSED',
  // Tokenizers (engine-core/src/tokenizer)
  DTE_ERR_TOKENIZER_BAD_METADATA: 'DTE_ERR_TOKENIZER_BAD_METADATA',
  DTE_ERR_TOKENIZER_UNSUPPORTED: 'DTE_ERR_TOKENIZER_UNSUPPORTED',
  DTE_ERR_TOKENIZER_BAD_TOKEN_ID: 'DTE_ERR_TOKENIZER_BAD_TOKEN_ID',
  DTE_ERR_TOKENIZER_BAD_INPUT: 'DTE_ERR_TOKENIZER_BAD_INPUT',
  DTE_ERR_TOKENIZER_UNENCODABLE: 'DTE_ERR_TOKENIZER_UNENCODABLE',
  // Chat templates (engine-core/src/chat)
  DTE_ERR_CHAT_BAD_TEMPLATE: 'DTE_ERR_CHAT_BAD_TEMPLATE',
  DTE_ERR_CHAT_BAD_MESSAGES: 'DTE_ERR_CHAT_BAD_MESSAGES',
  DTE_ERR_CHAT_RENDER_FAILED: 'DTE_ERR_CHAT_RENDER_FAILED',
} as const;

/** Any stable engine-core error code. */
export type EngineErrorCode = keyof typeof ENGINE_ERRORS;

/**
 * Base class of every typed engine-core error: a stable `code` from {@link ENGINE_ERRORS}
 * and a message naming the method that failed.
 * @example throw new EngineError('DTE_ERR_GGUF_MISSING_KEY', 'getString: no key llama.block_count')
 */
export class EngineError extends Error {
  override name = 'EngineError';
  readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
