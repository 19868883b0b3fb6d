import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { bindingCandidates, getNumThreads, matmul, setNumThreads } from '../src/index.ts';
import { T } from './reference/refDequantize.ts';
import { Rng, randomWeights } from './reference/testData.ts';

// A worker thread loads the same addon (same process-wide pool) and runs matmuls while the main
// thread does too: the pool's call mutex must serialise them without deadlock or wrong results.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const a = require(workerData.path);
const out = [];
for (let i = 0; i < workerData.reps; i++) out.push(Array.from(a.matmul(8, workerData.w, workerData.k, workerData.n, workerData.x, 3)));
parentPort.postMessage(out);
`;

describe('thread pool', () => {
  it('serialises concurrent callers from two JS threads', async () => {
    const rng = new Rng(42);
    const k = 256;
    const n = 300;
    const w = randomWeights(T.Q8_0, k, n, rng);
    const x = rng.f32(3 * k);
    const want = Array.from(matmul(T.Q8_0, w, k, n, x, 3));
    const path = bindingCandidates().find((p) => p.includes('Release')) as string;
    const worker = new Worker(WORKER, { eval: true, workerData: { path, w, x, k, n, reps: 40 } });
    const done = new Promise<number[][]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    for (let i = 0; i < 40; i++) expect(Array.from(matmul(T.Q8_0, w, k, n, x, 3))).toEqual(want);
    const results = await done;
    await worker.terminate();
    expect(results.length).toBe(40);
    for (const r of results) expect(r).toEqual(want);
  });

  it('resizing between calls keeps results identical', () => {
    const before = getNumThreads();
    const rng = new Rng(7);
    const w = randomWeights(T.Q4_K, 512, 200, rng);
    const x = rng.f32(512 * 5);
    const want = Array.from(matmul(T.Q4_K, w, 512, 200, x, 5));
    for (const t of [1, 2, 3, 4, 1, before]) {
      setNumThreads(t);
      expect(Array.from(matmul(T.Q4_K, w, 512, 200, x, 5))).toEqual(want);
    }
    expect(getNumThreads()).toBe(before);
  });
});
