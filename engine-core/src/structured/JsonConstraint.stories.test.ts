import { hasSharedModel, schemaArbitrary, sharedModel } from '@dte/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ajvErrors } from '../../test/support/ajvErrors.ts';
import { LlmEngine } from '../engine/LlmEngine.ts';
import { loadModel } from '../model/loadModel.ts';
import { JsonConstraint } from './JsonConstraint.ts';
import { validateJson } from './validateJson.ts';

/** stories260K on the TypeScript reference backend (independent of the native build). */
async function loadStories(numBlocks: number) {
  const m = await loadModel(sharedModel('stories260K.gguf'), { numBlocks, backend: 'reference' });
  return { ...m, executor: m.model };
}

async function run(engine: LlmEngine, ids: string[]) {
  const out = new Map<string, { text: string; finish: string | null; numTokens: number }>();
  for (const id of ids) out.set(id, { text: '', finish: null, numTokens: 0 });
  while (engine.hasUnfinished()) {
    for (const d of await engine.step()) {
      const r = out.get(d.requestId)!;
      r.text += d.text;
      r.numTokens += d.tokenIds.length;
      if (d.finishReason !== null) r.finish = d.finishReason;
    }
  }
  return out;
}

describe.skipIf(!hasSharedModel())(
  'JsonConstraint through LlmEngine on stories260K (a story model: the mask does the work)',
  () => {
    it('schema-constrained samples parse, validate and stop honestly, many random schemas in one batch', async () => {
      const m = await loadStories(256);
      const engine = new LlmEngine({ executor: m.executor, tokenizer: m.tokenizer, numBlocks: 256, maxNumSeqs: 32 });
      const schemas = fc.sample(schemaArbitrary(), { numRuns: 24, seed: 11 });
      const ids: string[] = [];
      const budget = new Map<string, number>();
      schemas.forEach((schema, i) => {
        const constraint = JsonConstraint.fromSchema(schema, m.tokenizer);
        const maxTokens = constraint.node.minLen + 1 + (i % 3) * 20;
        budget.set(`s${i}`, maxTokens);
        ids.push(
          engine.addRequest({
            requestId: `s${i}`,
            prompt: 'Once upon a time',
            sampling: { constraint, maxTokens, temperature: 1, seed: i },
          }),
        );
      });
      const out = await run(engine, ids);
      schemas.forEach((schema, i) => {
        const r = out.get(`s${i}`)!;
        expect(r.finish).toBe('stop');
        expect(r.numTokens).toBeLessThanOrEqual(budget.get(`s${i}`)!);
        expect(validateJson(JSON.parse(r.text), schema), r.text).toEqual([]);
        expect(ajvErrors(JSON.parse(r.text), schema), r.text).toEqual([]);
      });
    });

    it('without the constraint the same model does not write JSON', async () => {
      const m = await loadStories(64);
      const engine = new LlmEngine({ executor: m.executor, tokenizer: m.tokenizer, numBlocks: 64 });
      engine.addRequest({ requestId: 'free', prompt: 'Once upon a time', sampling: { maxTokens: 30, temperature: 0 } });
      const r = (await run(engine, ['free'])).get('free')!;
      expect(() => JSON.parse(r.text)).toThrow();
    });

    it('n samples each keep their own automaton state', async () => {
      const m = await loadStories(64);
      const engine = new LlmEngine({ executor: m.executor, tokenizer: m.tokenizer, numBlocks: 64 });
      const schema = {
        type: 'object',
        properties: { name: { type: 'string' }, n: { type: 'integer' } },
        required: ['name', 'n'],
      };
      const constraint = JsonConstraint.fromSchema(schema, m.tokenizer);
      engine.addRequest({
        requestId: 'n',
        prompt: 'Lily',
        sampling: { constraint, n: 3, maxTokens: 40, temperature: 1, seed: 5 },
      });
      const texts = ['', '', ''];
      while (engine.hasUnfinished()) for (const d of await engine.step()) texts[d.index] += d.text;
      for (const t of texts) {
        expect(validateJson(JSON.parse(t), schema)).toEqual([]);
        expect(ajvErrors(JSON.parse(t), schema), t).toEqual([]);
      }
    });
  },
);
