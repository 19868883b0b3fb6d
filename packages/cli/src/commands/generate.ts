import { createEngine, EngineError, loadModel } from '@dte/engine-core';
import { parseBackend } from '../backendOption.ts';
import { CliError } from '../CliError.ts';
import type { Command } from '../Command.ts';
import { parseOptions } from '../parseOptions.ts';
import { generatePromptsFile } from './generatePromptsFile.ts';

const usage = `Usage: dte generate --model MODEL.gguf (--prompt TEXT | --prompts-file FILE.jsonl) [--max-tokens N] [--temperature T] [--seed S] [--backend cpu|cuda|auto|reference]

Generates a continuation of TEXT with a Llama-family GGUF model, through the serving engine (the
server's sampler). Only the generated text goes to stdout; logs go to stderr. --temperature 0 (the
default) is greedy decoding; --seed S (default 0) makes sampling reproducible.
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

/** `dte generate`: one prompt, one continuation through the serving engine, streamed to stdout. */
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
      const backend = parseBackend(values.backend, usage);
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
    const backend = parseBackend(values.backend, usage);
    const t0 = performance.now();
    const loaded = await loadModel(values.model, { backend });
    // The serving engine's path (its sampler, its detokenizer), one request: the text is the server's.
    const engine = createEngine(loaded);
    try {
      const t1 = performance.now();
      const numPromptTokens = loaded.tokenizer.encode(values.prompt).length;
      if (numPromptTokens + maxTokens > engine.maxModelLen) {
        throw new EngineError(
          'DTE_ERR_MODEL_CONTEXT_FULL',
          `generate: ${numPromptTokens} prompt + ${maxTokens} new tokens exceed the model length (${engine.maxModelLen} tokens)`,
        );
      }
      let numGenerated = 0;
      let finishReason = 'length';
      if (maxTokens > 0) {
        for await (const d of engine.generate({
          prompt: values.prompt,
          // skipSpecialTokens: false, as before: a special token the model writes is shown.
          sampling: { maxTokens, temperature, seed, skipSpecialTokens: false },
        })) {
          if (d.text) io.stdout.write(d.text);
          if (d.finishReason !== null) {
            finishReason = d.finishReason;
            // The end-of-generation token that stopped it is not a generated token of the text.
            numGenerated = d.usage!.completionTokens - (finishReason === 'stop' ? 1 : 0);
          }
        }
      }
      const t2 = performance.now();
      io.stdout.write('\n');
      io.stderr.write(
        `dte generate: ${loaded.config.arch} (${loaded.backend}) loaded in ${(t1 - t0).toFixed(0)} ms; ` +
          `${numPromptTokens} prompt + ${numGenerated} generated tokens in ${(t2 - t1).toFixed(0)} ms ` +
          `(${((numGenerated * 1000) / Math.max(t2 - t1, 1e-3)).toFixed(1)} tok/s), finish: ${finishReason}\n`,
      );
    } finally {
      await engine.close();
      loaded.model.dispose();
    }
    return 0;
  },
};
