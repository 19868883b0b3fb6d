import { DteError, type ErrorSpec, formatError } from './DteError.ts';

/**
 * Every error code the echo kit throws, with its message template.
 *
 * | code | meaning | fix |
 * |---|---|---|
 * | DTE_ERR_KIT_BAD_ARGUMENT | an argument out of range (a non-finite seed, `nextInt` of a non-positive or fractional n) | pass the documented range |
 */
export const KIT_ERRORS = {
  DTE_ERR_KIT_BAD_ARGUMENT: { code: 'DTE_ERR_KIT_BAD_ARGUMENT', message: '%s: %s' },
} as const satisfies Record<string, ErrorSpec>;

/** A code of the kit registry. */
export type KitErrorCode = keyof typeof KIT_ERRORS;

/** The typed error of the echo kit; match on `code`. */
export class KitError extends DteError {
  declare readonly code: KitErrorCode;
}

/**
 * Builds a {@link KitError} from the registry template for `code` (the one factory).
 * @example throw kitError('DTE_ERR_KIT_BAD_ARGUMENT', 'createPrng', 'seed must be a finite number')
 */
export function kitError(code: KitErrorCode, ...args: unknown[]): KitError {
  return new KitError(code, formatError(KIT_ERRORS[code], args));
}
