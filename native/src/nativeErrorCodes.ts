/** Every error code thrown by `@dte/native` (keys equal their values; a test checks it). */
export const NATIVE_ERROR_CODES = {
  /** The compiled addon could not be loaded from any candidate path. */
  DTE_ERR_NATIVE_LOAD: 'DTE_ERR_NATIVE_LOAD',
  /** The addon loaded but lacks functions this package needs (stale build). */
  DTE_ERR_NATIVE_BINDING_SHAPE: 'DTE_ERR_NATIVE_BINDING_SHAPE',
  /** A native op got an argument of the wrong type, size or range (thrown as a `TypeError`). */
  DTE_ERR_NATIVE_BAD_ARGUMENT: 'DTE_ERR_NATIVE_BAD_ARGUMENT',
  /** `setIsa` asked for an instruction set this CPU lacks. */
  DTE_ERR_NATIVE_ISA_UNAVAILABLE: 'DTE_ERR_NATIVE_ISA_UNAVAILABLE',
} as const;

/** A `@dte/native` error code. */
export type NativeErrorCode = keyof typeof NATIVE_ERROR_CODES;
