import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, loadModel } from '@dte/engine-core';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../src/CliError.ts';
import { parsePromptsFile } from '../src/commands/generatePromptsFile.ts';
import { runDte } from './support/runDte.ts';

const STORIES = sharedModel('stories260K.gguf');
const hasStories = hasSharedModel();
const BACKEND = (await import('@dte/native').then((m) => 'LlamaModel' in m).catch(() => false))
  ? 'native'
  : 'reference';

const dte = runDte;

const dir = mkdtempSync(join(tmpdir(), 'dte-prompts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parsePromptsFile', () => {
  it('maps snake_case and camelCase fields, skips blank lines', () => {
    const lines = parsePromptsFile(
      '{"prompt":"a","max_tokens":3,"topP":0.5,"stop":"x","priority":2}\n\n{"prompt":"b"}\n',
      {
        maxTokens: 9,
      },
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]!.sampling).toMatchObject({ maxTokens: 3, topP: 0.5, stop: ['x'] });
    expect(lines[0]!.priority).toBe(2);
    expect(lines[1]!.sampling.maxTokens).toBe(9);
  });

  it.each(['{"prompt":1}', 'not json', '{"prompt":"a","bogus":1}', ''])('rejects %j with a usage error', (t) => {
    let err: unknown;
    try {
      parsePromptsFile(t, {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).code).toBe('DTE_ERR_CLI_USAGE');
  });
});

describe.skipIf(!hasStories)('dte generate --prompts-file on stories260K', () => {
  it('runs every prompt concurrently and prints results in input order, equal to one-at-a-time runs', async () => {
    const prompts = ['Once upon a time', 'Lily and Tom', 'The cat was', 'One day, a little bird', 'The sun'];
    const file = join(dir, 'p.jsonl');
    writeFileSync(
      file,
      prompts.map((p, i) => JSON.stringify({ prompt: p, max_tokens: 6 + 3 * i, temperature: 0 })).join('\n'),
    );
    const r = await dte(['generate', '--model', STORIES, '--prompts-file', file, '--backend', BACKEND]);
    expect(r.status).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((x) => x.index)).toEqual([0, 1, 2, 3, 4]);
    const loaded = await loadModel(STORIES, { backend: BACKEND, numBlocks: 64 });
    const single = createEngine(loaded);
    for (let i = 0; i < prompts.length; i++) {
      const ds = await single.collect({ prompt: prompts[i]!, sampling: { temperature: 0, maxTokens: 6 + 3 * i } });
      expect(rows[i].text).toBe(ds.map((d) => d.text).join(''));
      expect(rows[i].finish_reason).toBe(ds[ds.length - 1]!.finishReason);
      expect(['stop', 'length']).toContain(rows[i].finish_reason);
    }
    await single.close();
  });

  it('a bad sampling field fails with the engine error code', async () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, '{"prompt":"a","temperature":-3}\n');
    const r = await dte(['generate', '--model', STORIES, '--prompts-file', file, '--backend', BACKEND]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('DTE_ERR_ENGINE_BAD_PARAMS');
  });
});
