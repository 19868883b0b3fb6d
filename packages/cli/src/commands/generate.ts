import { generate, loadModel } from '@dte/engine-core';
import { CliError } from '../CliError.ts';
import type { Command } from '../Command.ts';
import { parseOptions } from '../parseOptions.ts';
import { generatePromptsFile } from './generatePromptsFile.ts';

const usage = `Usage: dte generate --model MODEL.gguf (--prompt TEXT | --prompts-file FILE.jsonl) [--max-tokens N] [--temperature T] [--seed S] [--backend native|reference]

Generates a continuation of TEXT with a Llama-family GGUF model. Only the generated text goes to
stdout; logs go to stderr. --temperature 0 (the default) is greedy decoding.
With --prompts-file (JSONL: "prompt" plus optional sampling fields such as max_tokens, temperature,
top_p, top_k, min_p, stop, seed, priority), all prompts run concurrently through the batched engine
and one JSON line per prompt is printed in input order: {index, text, finish_reason, usage}.`;

function number(name: string, raw: string | undefined, fallback: number, integer: boolean): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || (integer && !Number.isSafeInteger(v)) || v < 0) {
    throw new CliError(
      'DTE_ERR_CLI_USAGE',
      `--${name} must be a ${integer ? 'non-negative integer' : 'number >= 0'}\n${usage}`,
    );
  }
  return v;
}

/** `dte generate`: one prompt, one continuation, streamed to stdout. */
export const generateCommand: Command = {
  name: 'generate',
  summary: 'generate text from a prompt with a GGUF model',
  usage,
  async run(argv, io) {
    const { values } = parseOptions(
      argv,
      {
        model: { type: 'string' },
        prompt: { type: 'string' },
        'prompts-file': { type: 'string' },
        'max-tokens': { type: 'string' },
        temperature: { type: 'string' },
        seed: { type: 'string' },
        backend: { type: 'string' },
      },
      usage,
    );
    const promptsFile = values['prompts-file'];
    if (values.model && promptsFile !== undefined && values.prompt === undefined) {
      const backend = values.backend ?? 'native';
      if (backend !== 'native' && backend !== 'reference') {
        throw new CliError('DTE_ERR_CLI_USAGE', `--backend must be native or reference\n${usage}`);
      }
      return generatePromptsFile({
        model: values.model,
        promptsFile,
        backend,
        maxTokens: number('max-tokens', values['max-tokens'], 128, true),
        temperature: number('temperature', values.temperature, 0, false),
        ...(values.seed === undefined ? {} : { seed: number('seed', values.seed, 0, true) }),
        io,
      });
    }
    if (!values.model || values.prompt === undefined) {
      throw new CliError('DTE_ERR_CLI_USAGE', `--model and --prompt are required\n${usage}`);
    }
    const maxTokens = number('max-tokens', values['max-tokens'], 128, true);
    const temperature = number('temperature', values.temperature, 0, false);
    const seed = number('seed', values.seed, 0, true);
    const backend = values.backend ?? 'native';
    if (backend !== 'native' && backend !== 'reference') {
      throw new CliError('DTE_ERR_CLI_USAGE', `--backend must be native or reference\n${usage}`);
    }
    const t0 = performance.now();
    const loaded = await loadModel(values.model, { backend });
    try {
      const t1 = performance.now();
      const result = await generate(loaded, {
        prompt: values.prompt,
        maxTokens,
        temperature,
        seed,
        onText: (text) => io.stdout.write(text),
      });
      const t2 = performance.now();
      io.stdout.write('\n');
      const n = result.tokens.length;
      io.stderr.write(
        `dte generate: ${loaded.config.arch} (${loaded.backend}) loaded in ${(t1 - t0).toFixed(0)} ms; ` +
          `${result.promptTokens.length} prompt + ${n} generated tokens in ${(t2 - t1).toFixed(0)} ms ` +
          `(${((n * 1000) / Math.max(t2 - t1, 1e-3)).toFixed(1)} tok/s), finish: ${result.finishReason}\n`,
      );
    } finally {
      loaded.model.dispose();
    }
    return 0;
  },
};
