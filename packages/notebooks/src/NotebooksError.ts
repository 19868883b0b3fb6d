import { DteError, type ErrorSpec, formatError } from '@dte/echo-kit';

/**
 * Every error code the notebooks package throws, with its message template.
 *
 * | code | meaning | fix |
 * |---|---|---|
 * | DTE_ERR_NOTEBOOKS_EXECUTION_FAILED | nbconvert failed on a notebook (a cell raised, or the kernel did not start) | read Jupyter's report in the message; fix the cell |
 * | DTE_ERR_NOTEBOOKS_NO_RESULT | an executed notebook printed no `RESULT {…}` line | end the notebook with a cell that prints its claims |
 */
export const NOTEBOOKS_ERRORS = {
  DTE_ERR_NOTEBOOKS_EXECUTION_FAILED: {
    code: 'DTE_ERR_NOTEBOOKS_EXECUTION_FAILED',
    message: 'notebook %s failed:\n%s',
  },
  DTE_ERR_NOTEBOOKS_NO_RESULT: { code: 'DTE_ERR_NOTEBOOKS_NO_RESULT', message: 'notebook %s printed no RESULT line' },
} as const satisfies Record<string, ErrorSpec>;

/** A code of the notebooks registry. */
export type NotebooksErrorCode = keyof typeof NOTEBOOKS_ERRORS;

/** The typed error of the notebooks package; match on `code`. */
export class NotebooksError extends DteError {
  declare readonly code: NotebooksErrorCode;
}

/**
 * Builds a {@link NotebooksError} from the registry template for `code` (the one factory).
 * @example throw notebooksError('DTE_ERR_NOTEBOOKS_NO_RESULT', '1-quickstart')
 */
export function notebooksError(code: NotebooksErrorCode, ...args: unknown[]): NotebooksError {
  return new NotebooksError(code, formatError(NOTEBOOKS_ERRORS[code], args));
}
