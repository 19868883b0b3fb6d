import { EngineError, type EngineErrorCode } from '../EngineError.ts';

/**
 * A malformed or unsupported GGUF file (or writer spec): names the byte `offset` where the problem
 * was found and a short `reason`.
 * @example throw new GgufError('DTE_ERR_GGUF_BAD_MAGIC', 0, 'expected "GGUF"')
 */
export class GgufError extends EngineError {
  override name = 'GgufError';
  readonly offset: number;
  readonly reason: string;

  /** `offset` is -1 when the error is not about a byte of a file (writer specs, I/O failures). */
  constructor(code: EngineErrorCode, offset: number, reason: string, method = 'readGguf') {
    super(code, offset >= 0 ? `${method}: ${reason} (at byte ${offset})` : `${method}: ${reason}`);
    this.offset = offset;
    this.reason = reason;
  }
}
