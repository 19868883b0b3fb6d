/** Where a command writes: stdout for results only, stderr for logs and errors. */
export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * One `dte` sub-command. `run` receives the arguments after the command name and returns the
 * process exit status; typed errors thrown from it are printed by `main` as one line with their code.
 */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CommandIo): Promise<number>;
}
