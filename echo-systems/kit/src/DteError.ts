/**
 * Base class for every typed error in the echo systems: a stable `code`
 * string (like `DTE_ERR_HG_NOT_FOUND`) that tests and callers match on.
 *
 * @example
 * ```ts
 * class HgError extends DteError {}
 * throw new HgError('DTE_ERR_HG_NOT_FOUND', 'AtomSpace.get: no atom 7');
 * ```
 */
export class DteError extends Error {
  /** Stable machine-readable code. */
  readonly code: string;
  /** Optional structured details (never needed to understand the message). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** One registry entry: a code and a message template with `%s` holes. */
export interface ErrorSpec {
  readonly code: string;
  readonly message: string;
}

/**
 * Fills a registry template: each `%s` takes the next argument.
 *
 * @example
 * ```ts
 * formatError({ code: 'X', message: 'no atom %s' }, [7]); // 'no atom 7'
 * ```
 */
export function formatError(spec: ErrorSpec, args: readonly unknown[]): string {
  let i = 0;
  return spec.message.replace(/%s/g, () => String(args[i++]));
}
