import { ACTIONS } from '@dte/arena';
import { AsyncEngine, LlmEngine, loadModel } from '@dte/engine-core';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { describe, expect, it } from 'vitest';
import { ActionChooser } from '../src/ActionChooser.ts';

describe.skipIf(!hasSharedModel())('ActionChooser on stories260K', () => {
  async function setup() {
    const loaded = await loadModel(sharedModel('stories260K.gguf'), { numBlocks: 64 });
    const engine = new AsyncEngine(
      new LlmEngine({
        executor: loaded.model,
        tokenizer: loaded.tokenizer,
        numBlocks: 64,
        policy: 'priority',
      }),
    );
    return { engine, chooser: new ActionChooser(engine, loaded.tokenizer, ACTIONS, 1.0) };
  }

  it('always answers with one of the legal actions, whatever the legal set', async () => {
    const { chooser } = await setup();
    const sets = [[0], [0, 2, 3], [1, 4], [0, 1, 2, 3, 4, 5], [5, 3]];
    for (const [i, legal] of sets.entries()) {
      const c = await chooser.choose({
        owner: 'agent_0',
        context: 'You are a small creature. You see food right in front.',
        legal,
        priority: 50,
        signal: new AbortController().signal,
        seed: i,
      });
      expect(legal).toContain(c.action);
      expect(c.prompt).toContain(`${legal.length}. ${ACTIONS[legal[legal.length - 1]!]}`);
    }
  });

  it('is reproducible for a seed and uses distinct digit tokens', async () => {
    const { chooser } = await setup();
    const ids = chooser.digitTokens();
    expect(new Set(ids).size).toBe(ACTIONS.length);
    const ask = (seed: number) =>
      chooser.choose({
        owner: 'a',
        context: 'Once upon a time',
        legal: [0, 1, 2, 3, 4, 5],
        priority: 1,
        signal: new AbortController().signal,
        seed,
      });
    const a = await Promise.all([1, 2, 3, 4].map(ask));
    const b = await Promise.all([1, 2, 3, 4].map(ask));
    expect(b.map((c) => c.action)).toEqual(a.map((c) => c.action));
  });
});
