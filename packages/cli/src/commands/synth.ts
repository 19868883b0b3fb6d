import { writeFileSync } from 'node:fs';
import { llama3RopeFreqs, readGguf, resolveSynthDims, SYNTH_PRESETS, synthesizeModel } from '@dte/engine-core';
import { CliError } from '../CliError.ts';
import type { Command } from '../Command.ts';
import { parseOptions } from '../parseOptions.ts';

const usage = `Usage: dte synth --arch llama|qwen2|qwen3 --params ${Object.keys(SYNTH_PRESETS).join('|')} --type F32|F16|BF16|Q8_0|Q4_0|Q4_K|Q6_K --out FILE.gguf [--seed S] [--vocab VOCAB.gguf] [--rope-freqs llama3]

Writes a synthetic model (random weights, a real tokenizer: generated SentencePiece, or copied from
--vocab) that llama.cpp and dte load. --rope-freqs llama3 (llama only) adds Llama 3.1's
rope_freqs.weight (factor 8, low/high frequency factors 1/4, original context 8192; base 500000).`;

/** `dte synth`: writes a synthetic GGUF model. */
export const synthCommand: Command = {
  name: 'synth',
  summary: 'write a synthetic GGUF model (random weights, real tokenizer)',
  usage,
  async run(argv, io) {
    const { values } = parseOptions(
      argv,
      {
        arch: { type: 'string' },
        params: { type: 'string' },
        type: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        vocab: { type: 'string' },
        'rope-freqs': { type: 'string' },
      },
      usage,
    );
    if (!values.arch || !values.type || !values.out) {
      throw new CliError('DTE_ERR_CLI_USAGE', `--arch, --type and --out are required\n${usage}`);
    }
    if (!['llama', 'qwen2', 'qwen3'].includes(values.arch)) {
      throw new CliError('DTE_ERR_CLI_USAGE', `--arch must be llama, qwen2 or qwen3\n${usage}`);
    }
    const seed = values.seed === undefined ? 0 : Number(values.seed);
    if (!Number.isSafeInteger(seed)) throw new CliError('DTE_ERR_CLI_USAGE', `--seed must be an integer\n${usage}`);
    const ropeFreqs = values['rope-freqs'];
    if (ropeFreqs !== undefined && (ropeFreqs !== 'llama3' || values.arch !== 'llama'))
      throw new CliError('DTE_ERR_CLI_USAGE', `--rope-freqs takes llama3, with --arch llama\n${usage}`);
    const t0 = performance.now();
    const spec = {
      arch: values.arch as 'llama' | 'qwen2' | 'qwen3',
      params: values.params ?? 'tiny',
      type: values.type,
      seed,
      ...(values.vocab ? { vocab: readGguf(values.vocab) } : {}),
    };
    const bytes = synthesizeModel(
      ropeFreqs === undefined
        ? spec
        : (() => {
            const d = resolveSynthDims(spec);
            const base = 500000;
            return { ...spec, ropeFreqBase: base, ropeFreqs: llama3RopeFreqs(d.nEmbd / d.nHead, base) };
          })(),
    );
    writeFileSync(values.out, bytes);
    io.stderr.write(
      `dte synth: wrote ${values.out} (${(bytes.byteLength / 1048576).toFixed(1)} MiB) in ${(performance.now() - t0).toFixed(0)} ms\n`,
    );
    io.stdout.write(`${values.out}\n`);
    return 0;
  },
};
