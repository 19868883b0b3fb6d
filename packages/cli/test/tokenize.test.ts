import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GGUF_TYPE, readGguf, Tokenizer, writeGguf } from '@dte/engine-core';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { runDte } from './support/runDte.ts';

const STORIES = sharedModel('stories260K.gguf');
const hasStories = hasSharedModel();

const dte = runDte;

const dir = mkdtempSync(join(tmpdir(), 'dte-tokenize-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A tiny SPM vocabulary: 0 <unk>, 1 <s>, 2 </s>, 3 ▁, 4 a, 5 b, 6 ▁ab, 7 <|x|> (control), 8 ab. */
function tinyModel(): string {
  const path = join(dir, 'tiny.gguf');
  const tokens = ['<unk>', '<s>', '</s>', '▁', 'a', 'b', '▁ab', '<|x|>', 'ab'];
  const types = [2, 3, 3, 1, 1, 1, 1, 3, 1];
  const scores = [0, 0, 0, -3, -2, -2, -1, 0, -1.5];
  const metadata = [
    { key: 'tokenizer.ggml.model', type: GGUF_TYPE.STRING, value: 'llama' },
    { key: 'tokenizer.ggml.tokens', type: { array: GGUF_TYPE.STRING }, value: tokens },
    { key: 'tokenizer.ggml.scores', type: { array: GGUF_TYPE.FLOAT32 }, value: Float32Array.from(scores) },
    { key: 'tokenizer.ggml.token_type', type: { array: GGUF_TYPE.INT32 }, value: Int32Array.from(types) },
  ];
  writeFileSync(path, writeGguf({ metadata, tensors: [] }));
  return path;
}

describe('dte tokenize', () => {
  it('prints the ids as one JSON array line, with BOS by default', async () => {
    const model = tinyModel();
    const r = await dte(['tokenize', '--model', model, 'ab']);
    expect(r).toEqual({ status: 0, stdout: '[1,6]\n', stderr: '' });
    expect((await dte(['tokenize', '--model', model, '--no-bos', 'ab b'])).stdout).toBe('[6,3,5]\n');
    expect((await dte(['tokenize', '-m', model, '--no-bos', ''])).stdout).toBe('[]\n');
    expect((await dte(['tokenize', '-m', model, '--no-bos', '--', '-ab'])).status).toBe(0);
  });

  it('parses special-token text only with --special', async () => {
    const model = tinyModel();
    expect((await dte(['tokenize', '--model', model, '--no-bos', '--special', '<|x|>ab'])).stdout).toBe('[7,6]\n');
    const plain = await dte(['tokenize', '--model', model, '--no-bos', '<|x|>']);
    expect(JSON.parse(plain.stdout)).not.toContain(7);
  });

  it('reports usage errors (exit 2) and unreadable models (exit 1) as one line with a code', async () => {
    const noModel = await dte(['tokenize', 'ab']);
    expect(noModel.status).toBe(2);
    expect(noModel.stderr).toMatch(/^dte: DTE_ERR_CLI_USAGE: /);
    expect((await dte(['tokenize', '--model', tinyModel()])).status).toBe(2);
    expect((await dte(['tokenize', '--model', tinyModel(), '--bogus', 'x'])).status).toBe(2);
    const missing = await dte(['tokenize', '--model', join(dir, 'missing.gguf'), 'x']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^dte: DTE_ERR_GGUF_IO: /);
    const notTok = join(dir, 'no-tokenizer.gguf');
    writeFileSync(notTok, writeGguf({ metadata: [], tensors: [] }));
    const r = await dte(['tokenize', '--model', notTok, 'x']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^dte: DTE_ERR_TOKENIZER_BAD_METADATA: /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.skipIf(!hasStories)('matches Tokenizer on stories260K.gguf', async () => {
    const text = 'Once upon a time, Lily saw a 🐶 and said "hi!"\n';
    const r = await dte(['tokenize', '--model', STORIES, text]);
    expect(r.status).toBe(0);
    const ids = JSON.parse(r.stdout);
    expect(ids).toEqual(Tokenizer.fromGguf(readGguf(STORIES)).encode(text));
    expect(ids[0]).toBe(1);
    expect(JSON.parse((await dte(['tokenize', '--model', STORIES, '--no-bos', text])).stdout)).toEqual(ids.slice(1));
  });
});
