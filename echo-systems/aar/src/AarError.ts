import { DteError, type ErrorSpec, formatError } from '@dte/echo-kit';

/**
 * Every error code the AAR package (minds, action chooser, orchestrator) throws, with its message template.
 *
 * | code | meaning | fix |
 * |---|---|---|
 * | DTE_ERR_AAR_BAD_ARGUMENT | an argument has the wrong shape or range (e.g. more than 9 actions, no legal action) | pass the documented range |
 * | DTE_ERR_AAR_NO_DIGIT_TOKENS | the model's vocabulary lacks single-token digits for the options | use a model whose vocabulary has the digits 1–9 (byte fallback counts) |
 * | DTE_ERR_AAR_NO_ANSWER | the engine finished a choice without generating an option token (e.g. aborted) | retry; the orchestrator falls back to the reflex |
 * | DTE_ERR_AAR_NO_ENGINE | deliberation asked of a mind without an engine (reflex-only) | give the world a chooser, or do not deliberate |
 */
export const AAR_ERRORS = {
  DTE_ERR_AAR_BAD_ARGUMENT: { code: 'DTE_ERR_AAR_BAD_ARGUMENT', message: '%s: %s' },
  DTE_ERR_AAR_NO_DIGIT_TOKENS: {
    code: 'DTE_ERR_AAR_NO_DIGIT_TOKENS',
    message: '%s: the vocabulary has no single-token digits 1–%s',
  },
  DTE_ERR_AAR_NO_ANSWER: { code: 'DTE_ERR_AAR_NO_ANSWER', message: '%s: the engine returned no option token' },
  DTE_ERR_AAR_NO_ENGINE: { code: 'DTE_ERR_AAR_NO_ENGINE', message: '%s: %s' },
} as const satisfies Record<string, ErrorSpec>;

/** A code of the AAR registry. */
export type AarErrorCode = keyof typeof AAR_ERRORS;

/** The typed error of the AAR package; match on `code`. */
export class AarError extends DteError {
  declare readonly code: AarErrorCode;
}

/**
 * Builds an {@link AarError} from the registry template for `code` (the one factory).
 * @example throw aarError('DTE_ERR_AAR_NO_ENGINE', 'EchoMind.deliberate', 'the world has no chooser')
 */
export function aarError(code: AarErrorCode, ...args: unknown[]): AarError {
  return new AarError(code, formatError(AAR_ERRORS[code], args));
}
