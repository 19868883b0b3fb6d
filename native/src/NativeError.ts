import type { NativeErrorCode } from './nativeErrorCodes.ts';

/** One candidate path the loader tried, and why it failed. */
export interface BindingAttempt {
  path: string;
  reason: string;
}

/**
 * An error raised by the TypeScript side of `@dte/native` (loading, binding shape, ISA selection).
 * Errors raised inside native ops are `TypeError`s carrying the same kind of `code` property.
 */
export class NativeError extends Error {
  readonly code: NativeErrorCode;
  /** For `DTE_ERR_NATIVE_LOAD`: every path tried, in order, with its failure. */
  readonly attempts: readonly BindingAttempt[];

  constructor(code: NativeErrorCode, message: string, attempts: readonly BindingAttempt[] = []) {
    super(message);
    this.name = 'NativeError';
    this.code = code;
    this.attempts = attempts;
  }
}
