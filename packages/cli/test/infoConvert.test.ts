import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GGML_TYPE, GGUF_TYPE, quantize, writeGguf } from '@dte/engine-core';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { runDte } from './support/runDte.ts';

const hasModels = ['stories260K.gguf', 'stories260K.bin', 'tok512.bin'].every((f) => hasSharedModel(f));

const dte = runDte;

const dir = mkdtempSync(join(tmpdir(), 'dte-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small synthetic GGUF with a chat template and two weight types. */
function syntheticModel(): string {
  const path = join(dir, 'synthetic.gguf');
  const w = new Float32Array(64 * 4).map((_, i) => Math.cos(i));
  writeFileSync(
    path,
    writeGguf({
      metadata: [
        { key: 'general.architecture', type: GGUF_TYPE.STRING, value: 'qwen2' },
        { key: 'general.file_type', type: GGUF_TYPE.UINT32, value: 7 },
        { key: 'qwen2.block_count', type: GGUF_TYPE.UINT32, value: 1 },
        { key: 'qwen2.rope.freq_base', type: GGUF_TYPE.FLOAT32, value: 1000000 },
        { key: 'tokenizer.ggml.model', type: GGUF_TYPE.STRING, value: 'gpt2' },
        { key: 'tokenizer.ggml.tokens', type: { array: GGUF_TYPE.STRING }, value: ['a', 'b', 'c'] },
        { key: 'tokenizer.ggml.eos_token_id', type: GGUF_TYPE.UINT32, value: 2 },
        { key: 'tokenizer.chat_template', type: GGUF_TYPE.STRING, value: '{{ messages }}' },
      ],
      tensors: [
        { name: 'w.q8', type: GGML_TYPE.Q8_0, dims: [64, 4], data: quantize(GGML_TYPE.Q8_0, w) },
        { name: 'n.f32', type: GGML_TYPE.F32, dims: [64], data: quantize(GGML_TYPE.F32, w.subarray(0, 64)) },
      ],
    }),
  );
  return path;
}

describe('dte info', () => {
  it('--json describes a synthetic model', async () => {
    const r = await dte(['info', syntheticModel(), '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const info = JSON.parse(r.stdout);
    expect(info.architecture).toBe('qwen2');
    expect(info.fileType).toBe('MOSTLY_Q8_0');
    expect(info.parameters).toBe(64 * 4 + 64);
    expect(info.hyperParameters).toEqual({ block_count: 1, 'rope.freq_base': 1000000 });
    expect(info.tokenizer).toMatchObject({ model: 'gpt2', vocabSize: 3, specialIds: { eos: 2 } });
    expect(info.hasChatTemplate).toBe(true);
    expect(info.tensorTypes.map((t: { type: string }) => t.type)).toEqual(['Q8_0', 'F32']);
  });

  it('prints a readable table (with --tensors)', async () => {
    const r = await dte(['info', syntheticModel(), '--tensors']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/architecture\s+qwen2/);
    expect(r.stdout).toMatch(/chat template yes/);
    expect(r.stdout).toMatch(/w\.q8\s+Q8_0\s+64x4/);
  });

  it('a malformed file: one stderr line with the code, exit 1; usage errors exit 2', async () => {
    const bad = join(dir, 'bad.gguf');
    writeFileSync(bad, 'GGUF\x09\x00\x00\x00');
    const r = await dte(['info', bad]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^dte: DTE_ERR_GGUF_BAD_VERSION: /);
    const missing = await dte(['info', join(dir, 'nope.gguf')]);
    expect(missing.stderr).toMatch(/^dte: DTE_ERR_GGUF_IO: /);
    const usage = await dte(['info']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/^dte: DTE_ERR_CLI_USAGE: /);
  });
});

describe('dte convert', () => {
  it('usage and input errors are one coded line', async () => {
    const r = await dte(['convert', 'llama2c', '--model', 'x.bin']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^dte: DTE_ERR_CLI_USAGE: /);
    const other = await dte(['convert', 'safetensors', '--model', 'a', '--tokenizer', 'b', '--out', 'c']);
    expect(other.status).toBe(2);
    const io = await dte([
      'convert',
      'llama2c',
      '--model',
      join(dir, 'nope.bin'),
      '--tokenizer',
      'x',
      '--out',
      join(dir, 'o.gguf'),
    ]);
    expect(io.status).toBe(1);
    expect(io.stderr).toMatch(/^dte: DTE_ERR_CONVERT_IO: /);
    const garbage = join(dir, 'garbage.bin');
    writeFileSync(garbage, new Uint8Array(100));
    const bad = await dte([
      'convert',
      'llama2c',
      '--model',
      garbage,
      '--tokenizer',
      garbage,
      '--out',
      join(dir, 'o.gguf'),
    ]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^dte: DTE_ERR_CONVERT_BAD_CHECKPOINT: /);
    expect(existsSync(join(dir, 'o.gguf'))).toBe(false);
  });
});

describe.skipIf(!hasModels)('dte convert / info on stories260K', () => {
  it('converts stories260K.bin + tok512.bin to the shipped GGUF bytes (--ctx 2048)', async () => {
    const out = join(dir, 'stories.gguf');
    const r = await dte([
      'convert',
      'llama2c',
      '--model',
      sharedModel('stories260K.bin'),
      '--tokenizer',
      sharedModel('tok512.bin'),
      '--out',
      out,
      '--ctx',
      '2048',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out).equals(readFileSync(sharedModel('stories260K.gguf')))).toBe(true);
  });

  it('--type q8_0 writes Q8_0 matrices that dte info reports', async () => {
    const out = join(dir, 'stories-q8.gguf');
    const args = ['--model', sharedModel('stories260K.bin'), '--tokenizer', sharedModel('tok512.bin'), '--out', out];
    const r = await dte(['convert', 'llama2c', ...args, '--type', 'q8_0']);
    expect(r.status, r.stderr).toBe(0);
    const info = JSON.parse((await dte(['info', out, '--json'])).stdout);
    expect(info.fileType).toBe('MOSTLY_Q8_0');
    expect(info.tensorTypes.map((t: { type: string }) => t.type).sort()).toEqual(['F32', 'Q8_0']);
    const bad = await dte(['convert', 'llama2c', ...args, '--type', 'q5_1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^dte: DTE_ERR_CLI_USAGE: /);
  });

  it('a real child process: node packages/cli/bin/dte.js info --json', async () => {
    const bin = fileURLToPath(new URL('../bin/dte.js', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [
      bin,
      'info',
      sharedModel('stories260K.gguf'),
      '--json',
    ]);
    const info = JSON.parse(stdout);
    expect(info.architecture).toBe('llama');
    expect(info.parameters).toBe(64 * 512 * 2 + 64 + 5 * (64 * 64 * 2 + 64 * 32 * 2 + 64 * 172 * 3 + 64 * 2));
    expect(info.hyperParameters.block_count).toBe(5);
    expect(info.hyperParameters['attention.layer_norm_rms_epsilon']).toBe(1e-5); // f32 shown by its shortest decimal
    expect(info.tokenizer).toMatchObject({
      model: 'llama',
      vocabSize: 512,
      specialIds: { bos: 1, eos: 2, unknown: 0 },
    });
    expect(info.hasChatTemplate).toBe(false);
  });

  it('a real child process reports a bad file on stderr with a non-zero exit', async () => {
    const bin = fileURLToPath(new URL('../bin/dte.js', import.meta.url));
    const bad = join(dir, 'trunc.gguf');
    writeFileSync(bad, readFileSync(sharedModel('stories260K.gguf')).subarray(0, 5000));
    const err = await promisify(execFile)(process.execPath, [bin, 'info', bad]).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/^dte: DTE_ERR_GGUF_TRUNCATED: /);
  });
});
