import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BigramHeap } from './BigramHeap.ts';

describe('BigramHeap', () => {
  it('pops in (key, left) order, like llama.cpp priority queues, across growth', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: 0, max: 50 })), { maxLength: 300 }),
        (entries) => {
          const heap = new BigramHeap();
          entries.forEach(([key, left], i) => {
            heap.push(key, left, i, left + 1);
          });
          const popped: Array<[number, number]> = [];
          while (heap.pop()) {
            expect(heap.size).toBe(heap.left + 1);
            popped.push([entries[heap.right]![0], heap.left]);
          }
          const sorted = entries.map(([k, l]) => [k, l] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          expect(popped).toEqual(sorted);
          expect(heap.length).toBe(0);
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });
});
