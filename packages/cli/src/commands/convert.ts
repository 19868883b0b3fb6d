import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { convertLlama2c, EngineError, GGML_TYPE } from '@dte/engine-core';
import { CliError } from '../CliError.ts';
import type { Command } from '../Command.ts';
import { parseOptions } from '../parseOptions.ts';

const usage = `Usage: dte convert llama2c --model MODEL.bin --tokenizer TOKENIZER.bin --out OUT.gguf
                  [--ctx N] [--name NAME] [--type f32|f16|bf16|q8_0|q4_0|q4_k|q6_k]

Converts a llama2.c checkpoint and its tokenizer.bin to a GGUF file (F32, llama architecture),
the same way llama.cpp's convert-llama2c-to-ggml does. --ctx sets llama.context_length
(default: the checkpoint's seq_len); --name sets general.name (default 'llama'); --type stores
the matrices in that ggml type (default f32; rows without whole blocks and norms stay f32).`;

function readInput(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new EngineError('DTE_ERR_CONVERT_IO', `convert: cannot read ${path}: ${(err as Error).message}`);
  }
}

/** `dte convert llama2c ...`: model format conversion. */
export const convertCommand: Command = {
  name: 'convert',
  summary: 'convert a llama2.c checkpoint + tokenizer to GGUF',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseOptions(
      argv,
      {
        model: { type: 'string' },
        tokenizer: { type: 'string' },
        out: { type: 'string' },
        ctx: { type: 'string' },
        name: { type: 'string' },
        type: { type: 'string', default: 'f32' },
      },
      usage,
    );
    if (positionals.length !== 1 || positionals[0] !== 'llama2c') {
      throw new CliError('DTE_ERR_CLI_USAGE', `expected the source format 'llama2c'\n${usage}`);
    }
    const { model, tokenizer, out } = values;
    if (!model || !tokenizer || !out)
      throw new CliError('DTE_ERR_CLI_USAGE', `--model, --tokenizer and --out are required\n${usage}`);
    let contextLength: number | undefined;
    if (values.ctx !== undefined) {
      contextLength = Number(values.ctx);
      if (!Number.isInteger(contextLength) || contextLength < 1 || contextLength > 0xffffffff) {
        throw new CliError('DTE_ERR_CLI_USAGE', `--ctx must be a positive integer, got '${values.ctx}'`);
      }
    }
    const type = (GGML_TYPE as Record<string, number>)[values.type.toUpperCase()];
    if (type === undefined) {
      throw new CliError(
        'DTE_ERR_CLI_USAGE',
        `--type must be one of ${Object.keys(GGML_TYPE).join(', ').toLowerCase()}, got '${values.type}'`,
      );
    }
    const gguf = convertLlama2c(readInput(model), readInput(tokenizer), { contextLength, name: values.name, type });
    // Write beside the target and rename, so a failed write never leaves a half file under OUT.
    const tmp = `${out}.tmp-${process.pid}`;
    try {
      writeFileSync(tmp, gguf);
      renameSync(tmp, out);
    } catch (err) {
      throw new EngineError('DTE_ERR_CONVERT_IO', `convert: cannot write ${out}: ${(err as Error).message}`);
    }
    io.stdout.write(`${out}: ${gguf.byteLength} bytes\n`);
    return 0;
  },
};
