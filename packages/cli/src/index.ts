export { CLI_ERRORS, CliError, type CliErrorCode } from './CliError.ts';
export type { Command, CommandIo } from './Command.ts';
export { commands } from './commands/index.ts';
export { formatError, main } from './main.ts';
export { parseOptions } from './parseOptions.ts';
export { DEFAULT_MODEL_LABEL, DEFAULT_MODEL_PATH, ensureDefaultModel } from './run/defaultModel.ts';
