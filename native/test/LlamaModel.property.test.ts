import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LlamaModel } from '../src/LlamaModel.ts';
import { maxAbsDiff, randomLlama, referenceForward } from './support/referenceLlama.ts';
import { type StepItem, TestKvBook } from './support/testKvBook.ts';
import { TestRng } from './support/testRng.ts';
import { tinyConfig } from './support/tinyConfig.ts';

describe('LlamaModel on random schedules', () => {
  it('every returned row equals the reference, whatever the chunking, interleaving and block layout', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), (seed) => {
        const rng = new TestRng(seed);
        const blockSize = [1, 3, 4, 16][rng.int(4)]!;
        const cfg = tinyConfig({
          nLayer: 1 + rng.int(2),
          blockSize,
          numBlocks: Math.ceil(160 / blockSize) + 8,
          ropeNeox: rng.next() < 0.5,
        });
        const m = randomLlama(cfg, rng);
        const model = new LlamaModel(cfg, m.weights);
        const book = new TestKvBook(cfg.numBlocks, blockSize, rng);
        const seqs = Array.from({ length: 1 + rng.int(6) }, () =>
          Array.from({ length: 1 + rng.int(24) }, () => rng.int(cfg.nVocab)),
        );
        const want = seqs.map((tokens) => referenceForward(m, tokens).logits);
        const done = seqs.map(() => 0);
        let worst = 0;
        let rowsChecked = 0;
        while (done.some((d, s) => d < seqs[s]!.length)) {
          const items: StepItem[] = [];
          seqs.forEach((tokens, seq) => {
            if (done[seq]! >= tokens.length || rng.next() < 0.3) return;
            const n = 1 + rng.int(Math.min(8, tokens.length - done[seq]!));
            items.push({ seq, tokens: tokens.slice(done[seq], done[seq]! + n), logits: 'all' });
            done[seq] = done[seq]! + n;
          });
          if (items.length === 0) continue;
          rng.shuffle(items);
          const { batch, rows } = book.build(items);
          const out = model.forwardSync(batch);
          rows.forEach((r, i) => {
            const row = out.subarray(i * cfg.nVocab, (i + 1) * cfg.nVocab);
            worst = Math.max(worst, maxAbsDiff(row, want[r.seq]![r.pos]!));
            rowsChecked++;
          });
        }
        model.dispose();
        expect(rowsChecked).toBe(seqs.reduce((n, s) => n + s.length, 0));
        expect(worst).toBeLessThan(1e-4);
      }),
      { numRuns: 30, seed: 20261124 },
    );
  });
});
