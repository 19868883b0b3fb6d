import { NativeError } from './NativeError.ts';
import { NATIVE_ERROR_CODES, type NativeErrorCode } from './nativeErrorCodes.ts';

/** Turns an error thrown by the addon with a known `code` into a `NativeError`; anything else passes through. */
export function asNativeError(err: unknown): unknown {
  if (err instanceof NativeError || !(err instanceof Error)) return err;
  const code = (err as Error & { code?: unknown }).code;
  if (typeof code === 'string' && Object.hasOwn(NATIVE_ERROR_CODES, code)) {
    return new NativeError(code as NativeErrorCode, err.message);
  }
  return err;
}
