import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGguf } from '@dte/engine-core';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { getLlama } from 'node-llama-cpp';
import { afterAll, describe, expect, it } from 'vitest';
import { runDte } from './support/runDte.ts';

const STORIES = sharedModel('stories260K.gguf');
const hasStories = hasSharedModel();
/** The native model when @dte/native exports it, else the TypeScript reference forward. */
const BACKEND = (await import('@dte/native').then((m) => 'LlamaModel' in m).catch(() => false))
  ? 'native'
  : 'reference';

const dte = runDte;

/** llama.cpp's greedy continuation (argmax of its logits each step), detokenized by llama.cpp. */
async function llamaCppGreedy(path: string, prompt: string, n: number): Promise<string> {
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'error' as never });
  const model = await llama.loadModel({ modelPath: path });
  const context = await model.createContext({
    contextSize: 256,
    threads: 1,
    flashAttention: false,
    experimentalKvCacheKeyType: 'F32',
    experimentalKvCacheValueType: 'F32',
  });
  try {
    const seq = context.getSequence();
    const out: number[] = [];
    let input = [model.tokens.bos!, ...model.tokenize(prompt)] as number[];
    for (let i = 0; i < n; i++) {
      const res = await seq.controlledEvaluate(
        input.map((t, j) => (j === input.length - 1 ? [t, { generateNext: { logits: true } }] : t)) as never,
      );
      const logits = res[res.length - 1]?.next?.logits as Map<number, number>;
      let best = -1;
      let bestV = Number.NEGATIVE_INFINITY;
      for (const [t, v] of logits) if (v > bestV) [best, bestV] = [t, v];
      if (model.isSpecialToken(best as never) && best === model.tokens.eos) break;
      out.push(best);
      input = [best];
    }
    return model.detokenize(out as never);
  } finally {
    await context.dispose();
    await model.dispose();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'dte-cli-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasStories)('dte generate on stories260K', () => {
  it(`greedy text equals llama.cpp's (${BACKEND} backend)`, async () => {
    const prompt = 'Once upon a time';
    const r = await dte([
      'generate',
      '--model',
      STORIES,
      '--prompt',
      prompt,
      '--max-tokens',
      '64',
      '--backend',
      BACKEND,
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${await llamaCppGreedy(STORIES, prompt, 64)}\n`);
    expect(r.stderr).toMatch(/tok\/s/);
  });

  it('seeded sampling is reproducible and differs across seeds', async () => {
    const args = ['generate', '--model', STORIES, '--prompt', 'Lily', '--max-tokens', '24', '--temperature', '1'];
    const a = await dte([...args, '--seed', '1', '--backend', BACKEND]);
    const b = await dte([...args, '--seed', '1', '--backend', BACKEND]);
    const c = await dte([...args, '--seed', '2', '--backend', BACKEND]);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
  });

  it('rejects bad options with usage errors', async () => {
    expect((await dte(['generate', '--model', STORIES])).status).toBe(2);
    expect((await dte(['generate', '--model', STORIES, '--prompt', 'x', '--max-tokens', '-3'])).status).toBe(2);
    const r = await dte([
      'generate',
      '--model',
      STORIES,
      '--prompt',
      'x',
      '--max-tokens',
      '99999',
      '--backend',
      BACKEND,
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('DTE_ERR_MODEL_CONTEXT_FULL');
  });
});

describe('dte synth', () => {
  it('writes a loadable model of the asked arch and type', async () => {
    const out = join(dir, 'q3.gguf');
    const r = await dte([
      'synth',
      '--arch',
      'qwen3',
      '--params',
      'tiny',
      '--type',
      'Q4_K',
      '--out',
      out,
      '--seed',
      '5',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(out);
    const file = readGguf(out);
    expect(file.metadata.get('general.architecture')).toBe('qwen3');
    expect(file.tensor('blk.1.ffn_up.weight')?.type).toBe(12);
    const g = await dte(['generate', '--model', out, '--prompt', 'hi', '--max-tokens', '4', '--backend', BACKEND]);
    expect(g.status).toBe(0);
  });

  it('--rope-freqs llama3 writes Llama 3.1 frequency factors that generate loads', async () => {
    const out = join(dir, 'l3.gguf');
    const r = await dte(['synth', '--arch', 'llama', '--type', 'Q8_0', '--out', out, '--rope-freqs', 'llama3']);
    expect(r.status).toBe(0);
    const file = readGguf(out);
    expect(file.tensor('rope_freqs.weight')?.dims).toEqual([32]);
    expect(file.metadata.get('llama.rope.freq_base')).toBe(500000);
    const g = await dte(['generate', '--model', out, '--prompt', 'hi', '--max-tokens', '4', '--backend', BACKEND]);
    expect(g.status).toBe(0);
    const bad = await dte(['synth', '--arch', 'qwen2', '--type', 'F32', '--out', out, '--rope-freqs', 'llama3']);
    expect(bad.status).toBe(2);
  });

  it('rejects bad arguments', async () => {
    expect((await dte(['synth', '--arch', 'gpt2', '--type', 'F32', '--out', join(dir, 'x.gguf')])).status).toBe(2);
    const r = await dte(['synth', '--arch', 'llama', '--type', 'Q9', '--out', join(dir, 'x.gguf')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('DTE_ERR_SYNTH_BAD_SPEC');
  });
});
