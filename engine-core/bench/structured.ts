// Structured outputs: what constrained decoding costs.
// Usage: npm run bench:structured   (about a minute; DTE_BENCH_RUNS sets the repetitions, default 7)
//  A. Engine tokens/s on stories260K, the same batch with and without a JSON-schema constraint.
//  B. Mask cost per decode step on large vocabularies (llama-bpe 128k, qwen2 152k): random walks
//     through the automaton (a "random model" visits many distinct states), cold trie walks vs cached.
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { createEngine } from '../src/engine/createEngine.ts';
import { Sampler } from '../src/engine/Sampler.ts';
import { resolveSamplingParams } from '../src/engine/SamplingParams.ts';
import { SeededRng } from '../src/engine/SeededRng.ts';
import { Sequence } from '../src/engine/Sequence.ts';
import { readGguf } from '../src/gguf/readGguf.ts';
import { loadModel } from '../src/model/loadModel.ts';
import { JsonConstraint } from '../src/structured/JsonConstraint.ts';
import { Tokenizer } from '../src/tokenizer/Tokenizer.ts';
import { vocabGguf } from '../src/tokenizer/testing/vocabFixtures.ts';

const RUNS = Number(process.env.DTE_BENCH_RUNS ?? 7);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    age: { type: 'integer' },
    mood: { enum: ['happy', 'sad', 'hungry'] },
    friends: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, close: { type: 'boolean' } },
        required: ['name', 'close'],
      },
    },
  },
  required: ['name', 'age', 'mood', 'friends'],
  additionalProperties: false,
};
const figures: Record<string, unknown> = { runs: RUNS };

// ---- A. engine end to end ----
if (hasSharedModel()) {
  const path = sharedModel('stories260K.gguf');
  let backend: 'native' | 'reference' = 'native';
  let loaded = await loadModel(path, { numBlocks: 512, backend }).catch(async () => {
    backend = 'reference';
    return loadModel(path, { numBlocks: 512, backend });
  });
  const NUM_REQ = 32;
  const MAX_TOKENS = 192;
  async function batch(constrained: boolean): Promise<{ tokens: number; ms: number; numValid: number }> {
    const engine = createEngine(loaded, { maxNumSeqs: NUM_REQ });
    const constraint = constrained ? JsonConstraint.fromSchema(SCHEMA, loaded.tokenizer) : undefined;
    const t0 = performance.now();
    // Submitted in one synchronous burst, so the first step schedules them together.
    const outputs = await Promise.all(
      Array.from({ length: NUM_REQ }, (_, i) =>
        engine.collect({
          prompt: 'Once upon a time',
          sampling: {
            maxTokens: MAX_TOKENS,
            temperature: 1,
            seed: i,
            ...(constraint ? { constraint } : { ignoreEos: true }),
          },
        }),
      ),
    );
    const ms = performance.now() - t0;
    await engine.close();
    const tokens = outputs.reduce((n, ds) => n + ds.reduce((m, d) => m + d.tokenIds.length, 0), 0);
    const texts = outputs.map((ds) => ds.map((d) => d.text).join(''));
    let numValid = 0;
    for (const t of texts) {
      try {
        JSON.parse(t);
        numValid++;
      } catch {}
    }
    return { tokens, ms, numValid };
  }
  await batch(false);
  await batch(true);
  const free: number[] = [];
  const json: number[] = [];
  let valid = 0;
  for (let r = 0; r < RUNS; r++) {
    const a = await batch(false);
    free.push((a.tokens / a.ms) * 1000);
    const b = await batch(true);
    json.push((b.tokens / b.ms) * 1000);
    valid = b.numValid;
  }
  const e2e = {
    model: 'stories260K (vocab 512)',
    backend,
    requests: NUM_REQ,
    maxTokens: MAX_TOKENS,
    freeTokPerS: Math.round(median(free)),
    jsonTokPerS: Math.round(median(json)),
    ratio: Number((median(json) / median(free)).toFixed(3)),
    validJson: `${valid}/${NUM_REQ}`,
  };
  console.log('\nA. engine tokens/s, the same batch free vs JSON-schema constrained');
  console.table([e2e]);
  figures.engine = e2e;
  loaded.model.dispose();
  loaded = undefined as never;
} else {
  console.log('A. skipped: ../shared/models/stories260K.gguf is absent');
}

// ---- B. mask cost on large vocabularies ----
const rows: Record<string, unknown>[] = [];
for (const name of ['llama-bpe', 'qwen2'] as const) {
  const tok = Tokenizer.fromGguf(readGguf(vocabGguf(name)));
  const t0 = performance.now();
  const c0 = JsonConstraint.fromSchema(SCHEMA, tok);
  const trieMs = performance.now() - t0;
  const perStepCold: number[] = [];
  const perStepWarm: number[] = [];
  let hitRate = 0;
  let steps = 0;
  for (let r = 0; r < RUNS; r++) {
    // Cold: a fresh constraint (empty cache) per run; warm: the same walk again on the warmed cache.
    const c = JsonConstraint.fromSchema(SCHEMA, tok);
    for (const [out, constraint] of [
      [perStepCold, c],
      [perStepWarm, c],
    ] as const) {
      const rng = new SeededRng(r);
      let state = constraint.initialState();
      let n = 0;
      const s0 = performance.now();
      for (let k = 0; k < 200; k++) {
        const allowed = constraint.allowedTokens(state, 200 - k);
        const id = allowed[Math.floor(rng.nextFloat() * allowed.length)]!;
        n++;
        if (tok.isEog(id)) break;
        state = constraint.advance(state, id);
      }
      out.push(((performance.now() - s0) * 1000) / n);
      steps = n;
    }
    hitRate = c.stats.numCacheHits / c.stats.numMasks;
  }
  // The sampler itself, one sequence, random logits: free vs constrained (mask + advance included).
  const V = tok.vocabSize;
  const sampler = new Sampler(V);
  const logits = new Float32Array(V);
  const samplerUs = (constrained: boolean): number => {
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const rng = new SeededRng(100 + r);
      const constraint = constrained ? JsonConstraint.fromSchema(SCHEMA, tok) : undefined;
      const params = resolveSamplingParams(
        { temperature: 1, maxTokens: 200, ...(constraint ? { constraint } : {}) },
        V,
      );
      const seq = new Sequence({
        seqId: 0,
        requestId: 'b',
        sampleIndex: 0,
        promptTokenIds: [1],
        params,
        seed: r,
        priority: 0,
        ownerKey: undefined,
        arrivalOrder: 0,
        step: 0,
      });
      let ms = 0;
      let n = 0;
      for (let k = 0; k < 200; k++) {
        for (let i = 0; i < V; i++) logits[i] = rng.nextFloat() * 4;
        const s0 = performance.now();
        const { tokenId } = sampler.sample(logits, 0, seq);
        seq.appendToken(tokenId);
        ms += performance.now() - s0;
        n++;
        if (tok.isEog(tokenId) && constrained) break;
      }
      times.push((ms * 1000) / n);
    }
    return median(times);
  };
  const freeUs = samplerUs(false);
  const jsonUs = samplerUs(true);
  rows.push({
    vocab: name,
    samplerFreeUsPerTok: Math.round(freeUs),
    samplerJsonUsPerTok: Math.round(jsonUs),
    vocabSize: tok.vocabSize,
    trieNodes: c0.trie.numNodes,
    trieBuildMs: Number(trieMs.toFixed(1)),
    stepsPerWalk: steps,
    coldUsPerStep: Math.round(median(perStepCold)),
    warmUsPerStep: Math.round(median(perStepWarm)),
    cacheHitRate: Number(hitRate.toFixed(3)),
  });
}
console.log('\nB. mask cost per decode step (random walks under the schema, 200 tokens max)');
console.table(rows);
figures.masks = rows;
console.log(JSON.stringify(figures));
