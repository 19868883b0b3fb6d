import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliError } from './CliError.ts';

/**
 * `node:util.parseArgs` in strict mode, with its errors turned into `DTE_ERR_CLI_USAGE`.
 * @example const { values, positionals } = parseOptions(argv, { json: { type: 'boolean' } }, usage)
 */
export function parseOptions<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: O,
  usage: string,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError('DTE_ERR_CLI_USAGE', `${(err as Error).message}\n${usage}`);
  }
}
