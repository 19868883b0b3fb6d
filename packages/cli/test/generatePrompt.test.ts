import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { runDte as dte } from './support/runDte.ts';

const STORIES = sharedModel('stories260K.gguf');
const BACKEND = (await import('@dte/native').then((m) => 'LlamaModel' in m).catch(() => false))
  ? 'native'
  : 'reference';

const dir = mkdtempSync(join(tmpdir(), 'dte-prompt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasSharedModel())('dte generate --prompt and --prompts-file print the same continuation', () => {
  it.each([
    ['Mom said,', 12],
    ['Once upon a time', 16],
    ['Lily', 10],
  ])('%j: the text as generated, leading space kept', async (prompt, maxTokens) => {
    const file = join(dir, 'one.jsonl');
    writeFileSync(file, `${JSON.stringify({ prompt, max_tokens: maxTokens, temperature: 0 })}\n`);
    const many = await dte(['generate', '--model', STORIES, '--prompts-file', file, '--backend', BACKEND]);
    expect(many.status).toBe(0);
    const row = JSON.parse(many.stdout.trim()) as { text: string };
    const one = await dte([
      'generate',
      '--model',
      STORIES,
      '--prompt',
      prompt,
      '--max-tokens',
      String(maxTokens),
      '--backend',
      BACKEND,
    ]);
    expect(one.status).toBe(0);
    expect(one.stdout).toBe(`${row.text}\n`);
    if (prompt === 'Mom said,') expect(one.stdout.startsWith(' "')).toBe(true);
  });
});
