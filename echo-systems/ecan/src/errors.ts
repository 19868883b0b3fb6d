import { DteError, type ErrorSpec, formatError } from '@dte/echo-kit';

/**
 * Every error code the ECAN package throws.
 *
 * | code | meaning | fix |
 * |---|---|---|
 * | DTE_ERR_ECAN_BAD_PARAMS | a parameter is missing its range (negative rent, focus size 0, ...) | see `DEFAULT_ECAN_PARAMS` |
 * | DTE_ERR_ECAN_BAD_ARGUMENT | a call argument has the wrong type or range | pass a finite number / live handle |
 * | DTE_ERR_ECAN_NOT_FOUND | the handle names no live atom in the store | check `store.has(h)` |
 */
export const ECAN_ERRORS = {
  DTE_ERR_ECAN_BAD_PARAMS: { code: 'DTE_ERR_ECAN_BAD_PARAMS', message: '%s: %s' },
  DTE_ERR_ECAN_BAD_ARGUMENT: { code: 'DTE_ERR_ECAN_BAD_ARGUMENT', message: '%s: %s' },
  DTE_ERR_ECAN_NOT_FOUND: { code: 'DTE_ERR_ECAN_NOT_FOUND', message: '%s: no atom with handle %s' },
} as const satisfies Record<string, ErrorSpec>;

/** A code of the ECAN registry. */
export type EcanErrorCode = keyof typeof ECAN_ERRORS;

/** The typed error of the ECAN package; match on `code`. */
export class EcanError extends DteError {
  declare readonly code: EcanErrorCode;
}

/** Builds an `EcanError` from the registry. */
export function ecanError(code: EcanErrorCode, ...args: unknown[]): EcanError {
  return new EcanError(code, formatError(ECAN_ERRORS[code], args));
}
