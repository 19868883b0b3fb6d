import { DteError, type ErrorSpec } from '@dte/echo-kit';

/** Registry of every DTESN error code; each key equals its `code`. */
export const DTESN_ERRORS = {
  DTE_ERR_DTESN_BAD_ARGUMENT: {
    code: 'DTE_ERR_DTESN_BAD_ARGUMENT',
    message: '%s: %s',
  },
  DTE_ERR_DTESN_SHAPE_MISMATCH: {
    code: 'DTE_ERR_DTESN_SHAPE_MISMATCH',
    message: '%s: expected %s, got %s',
  },
  DTE_ERR_DTESN_NOT_TRAINED: {
    code: 'DTE_ERR_DTESN_NOT_TRAINED',
    message: '%s: the readout has not been fitted',
  },
  DTE_ERR_DTESN_SINGULAR: {
    code: 'DTE_ERR_DTESN_SINGULAR',
    message: '%s: matrix is not positive definite (pivot %s); raise the ridge',
  },
  DTE_ERR_DTESN_PLINGUA_SYNTAX: {
    code: 'DTE_ERR_DTESN_PLINGUA_SYNTAX',
    message: 'P-Lingua %s:%s: %s',
  },
  DTE_ERR_DTESN_PSYSTEM_INVALID: {
    code: 'DTE_ERR_DTESN_PSYSTEM_INVALID',
    message: 'PSystem: %s',
  },
  DTE_ERR_DTESN_STEP_LIMIT: {
    code: 'DTE_ERR_DTESN_STEP_LIMIT',
    message: '%s: did not halt within %s steps',
  },
} as const satisfies Record<string, ErrorSpec>;

/** A DTESN error code. */
export type DtesnErrorCode = keyof typeof DTESN_ERRORS;

/**
 * The typed error every DTESN API throws on bad input.
 *
 * @example
 * ```ts
 * throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'Esn', 'units must be positive');
 * ```
 */
export class DtesnError extends DteError {
  declare readonly code: DtesnErrorCode;
  /** Source line (1-based) for P-Lingua syntax errors. */
  readonly line: number | undefined;
  /** Source column (1-based) for P-Lingua syntax errors. */
  readonly column: number | undefined;

  constructor(code: DtesnErrorCode, message: string, line?: number, column?: number) {
    super(code, message, line === undefined ? undefined : { line, column });
    this.line = line;
    this.column = column;
  }
}

/** Builds a {@link DtesnError} from the registry template for `code`. */
export function dtesnError(code: DtesnErrorCode, ...args: unknown[]): DtesnError {
  const spec = DTESN_ERRORS[code];
  let i = 0;
  return new DtesnError(
    code,
    spec.message.replace(/%s/g, () => String(args[i++])),
  );
}
