import { CliError } from './CliError.ts';
import type { CommandIo } from './Command.ts';
import { commands } from './commands/index.ts';

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: dte <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'dte <command> --help' for a command's options.\n`;
}

/** Formats any thrown value as the one stderr line `dte: CODE: message`. */
export function formatError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `dte: ${code}: ${err.message}` : `dte: ${err.name}: ${err.message}`;
  }
  return `dte: ${String(err)}`;
}

/**
 * Runs `dte` with the given arguments and returns the exit status (0 ok, 1 failure, 2 usage).
 * @example await main(['info', 'model.gguf', '--json'])
 */
export async function main(argv: string[], io: CommandIo = { stdout: process.stdout, stderr: process.stderr }) {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(helpText());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  try {
    if (!command) throw new CliError('DTE_ERR_CLI_UNKNOWN_COMMAND', `unknown command '${name}' (try 'dte --help')`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(`${command.usage}\n`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (err) {
    io.stderr.write(`${formatError(err)}\n`);
    return err instanceof CliError ? err.exitStatus : 1;
  }
}
