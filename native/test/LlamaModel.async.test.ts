import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { LlamaModel } from '../src/LlamaModel.ts';
import { randomLlama } from './support/referenceLlama.ts';
import { type StepItem, TestKvBook } from './support/testKvBook.ts';
import { TestRng } from './support/testRng.ts';
import { tinyConfig } from './support/tinyConfig.ts';

describe('LlamaModel.forward runs off the JS thread', () => {
  it('keeps timers and an http server responsive during long prefills', async () => {
    const rng = new TestRng(3);
    const cfg = tinyConfig({ nEmbd: 256, nHead: 8, nHeadKv: 4, headDim: 32, nFf: 768, nVocab: 512, nLayer: 4 });
    const m = randomLlama({ ...cfg, blockSize: 16, numBlocks: 160 }, rng);
    const model = new LlamaModel(m.config, m.weights);
    const book = new TestKvBook(160, 16, rng);
    const batches = [0, 1, 2, 3].map(
      (seq) =>
        book.build([{ seq, tokens: Array.from({ length: 512 }, () => rng.int(cfg.nVocab)), logits: 'last' }]).batch,
    );

    const server = createServer((_req, res) => res.end('pong'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
    }, 2);
    let settled = false;
    const all = Promise.all(batches.map((b) => model.forward(b))).finally(() => {
      settled = true;
    });
    const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    const answeredWhileComputing = !settled;
    const ticksAtAnswer = ticks;
    await new Promise((r) => setTimeout(r, 20));
    const ticksLater = ticks;
    const outs = await all;
    clearInterval(timer);
    await new Promise((r) => server.close(r));

    expect(body).toBe('pong');
    expect(answeredWhileComputing).toBe(true);
    expect(ticksLater).toBeGreaterThan(ticksAtAnswer);
    expect(outs.map((o) => o.length)).toEqual([512, 512, 512, 512]);
    expect(outs.every((o) => o.every(Number.isFinite))).toBe(true);
    model.dispose();
  });

  it('queues concurrent forwards of one model in call order', async () => {
    const rng = new TestRng(4);
    const cfg = tinyConfig({ numBlocks: 128 });
    const m = randomLlama(cfg, rng);
    const steps: StepItem[][] = [
      [{ seq: 0, tokens: [1, 2, 3, 4, 5, 6, 7], logits: 'last' }],
      [{ seq: 0, tokens: [8], logits: 'last' }],
      [
        { seq: 0, tokens: [9], logits: 'last' },
        { seq: 1, tokens: [10, 11, 12], logits: 'all' },
      ],
      [{ seq: 1, tokens: [13], logits: 'last' }],
    ];
    // Each step depends on the cache written by the previous one, so order matters.
    const bookA = new TestKvBook(128, 4, new TestRng(1));
    const sync = new LlamaModel(cfg, m.weights);
    const want = steps.map((s) => sync.forwardSync(bookA.build(s).batch));
    const bookB = new TestKvBook(128, 4, new TestRng(1));
    const asyncModel = new LlamaModel(cfg, m.weights);
    const got = await Promise.all(steps.map((s) => asyncModel.forward(bookB.build(s).batch)));
    got.forEach((g, i) => {
      expect(Array.from(g)).toEqual(Array.from(want[i]!));
    });
  });
});
