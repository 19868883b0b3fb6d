/** Stable codes of the CLI's own errors (other packages' errors carry their own codes). */
export const CLI_ERRORS = {
  DTE_ERR_CLI_USAGE: 'DTE_ERR_CLI_USAGE',
  DTE_ERR_CLI_UNKNOWN_COMMAND: 'DTE_ERR_CLI_UNKNOWN_COMMAND',
} as const;

export type CliErrorCode = keyof typeof CLI_ERRORS;

/** A usage or command-line error: printed as one line, exit status 2. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: CliErrorCode,
    message: string,
  ) {
    super(message);
  }
}
