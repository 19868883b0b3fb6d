import { describeGguf, type GgufSummary, ggmlTypeName, readGgufHeader } from '@dte/engine-core';
import { CliError } from '../CliError.ts';
import type { Command } from '../Command.ts';
import { parseOptions } from '../parseOptions.ts';

const usage = `Usage: dte info MODEL.gguf [--json] [--tensors]

Describes a GGUF model: architecture, parameter count, file type, sizes, hyper-parameters
(<arch>.* keys), tokenizer (model, vocab size, special ids), chat template, tensors by type.
--json prints one JSON object instead of the table; --tensors also lists every tensor.`;

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(2)} ${units[u]}`;
}

function count(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) => `  ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}`)
    .join('\n');
}

function formatText(path: string, s: GgufSummary): string {
  const lines = [
    `file          ${path}`,
    `format        GGUF v${s.version}, alignment ${s.alignment}`,
    `architecture  ${s.architecture ?? '(none)'}${s.name ? ` (${s.name})` : ''}`,
    `parameters    ${count(s.parameters)} (${s.parameters})`,
    `file type     ${s.fileType ?? '(not set)'}`,
    `size          ${bytes(s.fileBytes)} (header ${bytes(s.headerBytes)}, tensors ${bytes(s.tensorBytes)})`,
    `metadata      ${s.metadataCount} keys, ${s.tensorCount} tensors`,
    '',
    'hyper-parameters',
    ...Object.entries(s.hyperParameters).map(([k, v]) => `  ${k.padEnd(36)} ${String(v)}`),
    '',
    'tokenizer',
    `  model         ${s.tokenizer.model ?? '(none)'}${s.tokenizer.pre ? ` (pre: ${s.tokenizer.pre})` : ''}`,
    `  vocab size    ${s.tokenizer.vocabSize}`,
    `  special ids   ${
      Object.entries(s.tokenizer.specialIds)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ') || '(none)'
    }`,
    `  add bos/eos   ${String(s.tokenizer.addBos ?? '-')}/${String(s.tokenizer.addEos ?? '-')}`,
    `  chat template ${s.hasChatTemplate ? 'yes' : 'no'}`,
    '',
    'tensors by type',
    table([
      ['type', 'tensors', 'elements', 'bytes'],
      ...s.tensorTypes.map((t) => [t.type, String(t.tensors), String(t.elements), bytes(t.bytes)]),
    ]),
  ];
  return `${lines.join('\n')}\n`;
}

/** `dte info MODEL.gguf`: what a GGUF file holds. */
export const infoCommand: Command = {
  name: 'info',
  summary: 'describe a GGUF model (architecture, sizes, hyper-parameters, tokenizer, tensors)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseOptions(
      argv,
      { json: { type: 'boolean', default: false }, tensors: { type: 'boolean', default: false } },
      usage,
    );
    if (positionals.length !== 1) throw new CliError('DTE_ERR_CLI_USAGE', `expected one MODEL.gguf path\n${usage}`);
    const path = positionals[0]!;
    const file = readGgufHeader(path); // tensor data are not needed: any model size works
    const summary = describeGguf(file);
    const tensors = file.tensors.map((t) => ({
      name: t.name,
      type: ggmlTypeName(t.type),
      dims: t.dims,
      bytes: t.nBytes,
    }));
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ path, ...summary, ...(values.tensors ? { tensors } : {}) })}\n`);
      return 0;
    }
    io.stdout.write(formatText(path, summary));
    if (values.tensors) {
      io.stdout.write(
        `\ntensors\n${table([['name', 'type', 'shape', 'bytes'], ...tensors.map((t) => [t.name, t.type, t.dims.join('x'), String(t.bytes)])])}\n`,
      );
    }
    return 0;
  },
};
