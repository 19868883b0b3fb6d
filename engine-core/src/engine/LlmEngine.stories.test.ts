import { describe, expect, it } from 'vitest';
import { AsyncEngine } from './AsyncEngine.ts';
import { type GenerateRequest, type GenerationDelta, LlmEngine, type LlmEngineOptions } from './LlmEngine.ts';
import { hasSharedModel, loadStories } from './testing/loadStories.ts';

const SUBJECTS = ['Lily', 'Tom', 'the cat', 'a little bird', 'the dog', 'Sue', 'Ben', 'the sun'];
const VERBS = ['wanted to play', 'saw a big tree', 'was very happy', 'found a ball', 'went to the park'];
const PROMPTS = Array.from({ length: 33 }, (_, i) => `Once upon a time, ${SUBJECTS[i % 8]} ${VERBS[i % 5]}`);

async function drain(engine: LlmEngine, onStep?: (step: number, ds: GenerationDelta[]) => void) {
  const byReq = new Map<string, { tokens: number[]; text: string; finish: string | null }>();
  let step = 0;
  while (engine.hasUnfinished()) {
    const ds = await engine.step();
    step++;
    onStep?.(step, ds);
    for (const d of ds) {
      const key = `${d.requestId}/${d.index}`;
      const r = byReq.get(key) ?? { tokens: [], text: '', finish: null };
      r.tokens.push(...d.tokenIds);
      r.text += d.text;
      r.finish = d.finishReason;
      byReq.set(key, r);
    }
    if (step > 20000) throw new Error('no progress');
  }
  return byReq;
}

async function engineFor(numBlocks: number, opts: Partial<LlmEngineOptions> = {}) {
  const m = await loadStories(numBlocks);
  const engine = new LlmEngine({
    executor: m.executor,
    tokenizer: m.tokenizer,
    numBlocks,
    maxNumSeqs: 48,
    maxNumBatchedTokens: 256,
    ...opts,
  });
  return { engine, m };
}

const greedy = (maxTokens = 24): GenerateRequest['sampling'] => ({ temperature: 0, maxTokens });

describe.skipIf(!hasSharedModel())('LlmEngine on stories260K', () => {
  it('greedy output is identical alone and batched with 32 others', async () => {
    const alone = await engineFor(64);
    alone.engine.addRequest({ requestId: 'x', prompt: PROMPTS[0]!, sampling: greedy() });
    const a = (await drain(alone.engine)).get('x/0')!;
    const many = await engineFor(256);
    PROMPTS.forEach((p, i) => {
      many.engine.addRequest({
        requestId: i === 0 ? 'x' : `o${i}`,
        prompt: p,
        sampling: i === 0 ? greedy() : greedy(8 + (i % 20)),
      });
    });
    const b = (await drain(many.engine)).get('x/0')!;
    expect(a.tokens.length).toBeGreaterThan(4);
    expect(b.tokens).toEqual(a.tokens);
    expect(b.text).toBe(a.text);
    const tk = alone.m.tokenizer;
    const promptIds = tk.encode(PROMPTS[0]!);
    const gen = a.tokens.slice(0, a.finish === 'stop' ? -1 : undefined);
    expect(a.text).toBe(tk.decode([...promptIds, ...gen]).slice(tk.decode(promptIds).length));
    expect(a.text.startsWith(' ')).toBe(true);
  });

  it('prefix caching changes no output and skips the shared prefix compute', async () => {
    const prefix =
      'Once upon a time, there was a little girl named Lily. She liked to play with her toys in the garden. One day';
    const run = async (enablePrefixCaching: boolean) => {
      const { engine, m } = await engineFor(128, { enablePrefixCaching, maxNumSeqs: 4 });
      for (let i = 0; i < 8; i++)
        engine.addRequest({ requestId: `r${i}`, prompt: `${prefix} ${SUBJECTS[i]}`, sampling: greedy(12) });
      const out = await drain(engine);
      return { out, computed: m.executor.numTokens, metrics: engine.metrics() };
    };
    const off = await run(false);
    const on = await run(true);
    for (let i = 0; i < 8; i++) expect(on.out.get(`r${i}/0`)!.tokens).toEqual(off.out.get(`r${i}/0`)!.tokens);
    expect(off.metrics.numPrefixHitTokens).toBe(0);
    expect(on.metrics.numPrefixHitTokens).toBeGreaterThanOrEqual(4 * 16);
    expect(on.computed).toBeLessThan(off.computed - 4 * 16);
  });

  it('forced preemption (tiny KV cache) gives the same outputs as none', async () => {
    const big = await engineFor(256);
    const small = await engineFor(10, { maxNumBatchedTokens: 64 });
    for (const { engine } of [big, small]) {
      PROMPTS.slice(0, 12).forEach((p, i) => {
        engine.addRequest({ requestId: `r${i}`, prompt: p, sampling: { ...greedy(40), ignoreEos: true } });
      });
    }
    const a = await drain(big.engine);
    const b = await drain(small.engine);
    expect(small.engine.metrics().numPreemptions).toBeGreaterThan(0);
    expect(big.engine.metrics().numPreemptions).toBe(0);
    for (let i = 0; i < 12; i++) expect(b.get(`r${i}/0`)!.tokens).toEqual(a.get(`r${i}/0`)!.tokens);
    expect(small.engine.blocks.numFreeBlocks).toBe(10);
  });

  it('seeded sampling is reproducible across batch compositions (and n > 1 samples differ)', async () => {
    const sampling = { temperature: 0.9, topP: 0.95, topK: 40, seed: 1234, maxTokens: 30, n: 3 };
    const alone = await engineFor(64);
    alone.engine.addRequest({ requestId: 'x', prompt: PROMPTS[3]!, sampling });
    const a = await drain(alone.engine);
    const busy = await engineFor(256, { maxNumBatchedTokens: 32 });
    PROMPTS.slice(5, 20).forEach((p, i) => {
      busy.engine.addRequest({ prompt: p, sampling: { temperature: 1, maxTokens: 5 + i } });
    });
    busy.engine.addRequest({ requestId: 'x', prompt: PROMPTS[3]!, sampling });
    const b = await drain(busy.engine);
    for (let i = 0; i < 3; i++) expect(b.get(`x/${i}`)!.tokens).toEqual(a.get(`x/${i}`)!.tokens);
    const distinct = new Set([0, 1, 2].map((i) => a.get(`x/${i}`)!.tokens.join(',')));
    expect(distinct.size).toBeGreaterThan(1);
  });

  it('stop strings cut across token boundaries; logprobs and usage are reported', async () => {
    const first = await engineFor(64);
    first.engine.addRequest({ requestId: 'x', prompt: PROMPTS[1]!, sampling: { ...greedy(30), ignoreEos: true } });
    const full = (await drain(first.engine)).get('x/0')!;
    const stop = full.text.slice(10, 14);
    const cut = full.text.indexOf(stop);
    const second = await engineFor(64);
    second.engine.addRequest({
      requestId: 'y',
      prompt: PROMPTS[1]!,
      sampling: { ...greedy(30), stop: [stop], logprobs: true, topLogprobs: 2 },
    });
    const deltas: GenerationDelta[] = [];
    await drain(second.engine, (_s, ds) => deltas.push(...ds));
    expect(deltas.map((d) => d.text).join('')).toBe(full.text.slice(0, cut));
    const last = deltas[deltas.length - 1]!;
    expect(last.finishReason).toBe('stop');
    expect(last.usage!.completionTokens).toBe(deltas.length);
    for (const d of deltas) {
      expect(d.logprobs![0]!.logprob!).toBeLessThanOrEqual(0);
      expect(d.logprobs![0]!.topLogprobs![0]!.tokenId).toBe(d.tokenIds[0]);
    }
  });

  it('priority policy: a high-priority owner waits less than under FCFS; raising priority takes effect fast', async () => {
    const firstTokenStep = async (policy: 'fcfs' | 'priority', bump?: number) => {
      const { engine } = await engineFor(256, { policy, maxNumSeqs: 2, maxNumBatchedTokens: 64 });
      for (let i = 0; i < 6; i++)
        engine.addRequest({ requestId: `low${i}`, prompt: PROMPTS[i]!, sampling: greedy(20), owner: 'low' });
      for (let i = 0; i < 3; i++)
        engine.addRequest({
          requestId: `hi${i}`,
          prompt: PROMPTS[10 + i]!,
          sampling: greedy(20),
          owner: 'hi',
          priority: bump === undefined ? 5 : 0,
        });
      const first = new Map<string, number>();
      await drain(engine, (step, ds) => {
        if (bump !== undefined && step === bump) engine.setPriority('hi', 5);
        for (const d of ds) if (!first.has(d.requestId)) first.set(d.requestId, step);
      });
      const hi = [0, 1, 2].map((i) => first.get(`hi${i}`)!);
      return { mean: hi.reduce((a, b) => a + b, 0) / 3, first: Math.min(...hi) };
    };
    const fcfs = await firstTokenStep('fcfs');
    const prio = await firstTokenStep('priority');
    expect(prio.mean).toBeLessThan(fcfs.mean);
    const late = await firstTokenStep('priority', 5);
    expect(late.first).toBeLessThanOrEqual(5 + 3);
    expect(late.first).toBeLessThan(fcfs.first);
  });

  it('embed: L2-normalised mean-pooled hidden states, chunking-invariant, similar texts closer', async () => {
    const texts = [
      'Lily went to the park to play.',
      'Lily went to the park to play with Tom.',
      'The big red sun was hot.',
    ];
    const { engine: whole } = await engineFor(64);
    const { engine: chunked } = await engineFor(64, { maxNumBatchedTokens: 4 });
    const a = await new AsyncEngine(whole).embed(texts);
    const b = await new AsyncEngine(chunked).embed(texts);
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((acc, v, i) => acc + v * y[i]!, 0);
    for (let i = 0; i < 3; i++) {
      expect(a[i]!.length).toBe(64);
      expect(dot(a[i]!, a[i]!)).toBeCloseTo(1, 4);
      expect(dot(a[i]!, b[i]!)).toBeGreaterThan(0.9999);
    }
    expect(dot(a[0]!, a[1]!)).toBeGreaterThan(dot(a[0]!, a[2]!));
  });
});
