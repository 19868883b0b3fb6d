import { readGguf, Tokenizer } from '@dte/engine-core';
import { CliError } from '../CliError.ts';
import type { Command } from '../Command.ts';
import { parseOptions } from '../parseOptions.ts';

const usage = `Usage: dte tokenize --model MODEL.gguf [--no-bos] [--special] TEXT

Tokenizes TEXT with the model's own tokenizer (from its GGUF metadata; the same ids as llama.cpp)
and prints the token ids as one JSON array line.
--no-bos   do not prepend BOS (by default BOS is added when the model asks for it)
--special  parse special-token text such as <|im_start|> into control tokens
Put -- before a TEXT that starts with '-': dte tokenize --model m.gguf -- "-5 degrees"`;

/**
 * `dte tokenize`: prints the ids of TEXT as one JSON array line on stdout.
 * @example dte tokenize --model stories260K.gguf "Once upon a time" // [1,403,407,261,378]
 */
export const tokenizeCommand: Command = {
  name: 'tokenize',
  summary: 'print the token ids of a text as a JSON array',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseOptions(
      argv,
      { model: { type: 'string', short: 'm' }, 'no-bos': { type: 'boolean' }, special: { type: 'boolean' } },
      usage,
    );
    if (values.model === undefined) throw new CliError('DTE_ERR_CLI_USAGE', `--model is required\n${usage}`);
    if (positionals.length !== 1) {
      throw new CliError('DTE_ERR_CLI_USAGE', `expected exactly one TEXT argument (quote it)\n${usage}`);
    }
    const tokenizer = Tokenizer.fromGguf(readGguf(values.model));
    const options = { parseSpecial: values.special === true, ...(values['no-bos'] ? { addBos: false } : {}) };
    io.stdout.write(`${JSON.stringify(tokenizer.encode(positionals[0]!, options))}\n`);
    return 0;
  },
};
