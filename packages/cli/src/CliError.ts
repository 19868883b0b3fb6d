/** Stable codes of the CLI's own errors (other packages' errors carry their own codes). */
export const CLI_ERRORS = {
  /** Bad options or arguments (exit status 2). */
  DTE_ERR_CLI_USAGE: 'DTE_ERR_CLI_USAGE',
  /** No such command (exit status 2). */
  DTE_ERR_CLI_UNKNOWN_COMMAND: 'DTE_ERR_CLI_UNKNOWN_COMMAND',
  /** The server `dte chat --url` talks to failed: an HTTP error, or no model served (exit status 1). */
  DTE_ERR_CLI_SERVER: 'DTE_ERR_CLI_SERVER',
} as const;

export type CliErrorCode = keyof typeof CLI_ERRORS;

/** An error of the CLI itself: printed as one line; exit status 2 for usage errors, 1 otherwise. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: CliErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** The exit status `dte` ends with: 2 for a usage error (bad options, unknown command), else 1. */
  get exitStatus(): number {
    return this.code === 'DTE_ERR_CLI_USAGE' || this.code === 'DTE_ERR_CLI_UNKNOWN_COMMAND' ? 2 : 1;
  }
}
