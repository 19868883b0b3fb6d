export { CLI_ERRORS, CliError, type CliErrorCode } from './CliError.ts';
export type { Command, CommandIo } from './Command.ts';
export { commands } from './commands/index.ts';
export { formatError, main } from './main.ts';
export { parseOptions } from './parseOptions.ts';
export { type DefaultModel, defaultModel, ECHO_TINY_PATH, SYNTHETIC_MODEL_PATH } from './run/defaultModel.ts';
