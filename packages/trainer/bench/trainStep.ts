// npm run bench:train-step — seconds per training step (forward + backward, no optimiser) of a Llama
// model, TypeScript kernels vs native kernels (matmuls + attention) in the same run; median of 3.
// Default: the echo-tiny shape at 4 × 128 tokens. Prints a table, then one JSON line.
import { parseArgs } from 'node:util';
import { ECHO_TINY_RECIPE, TinyLlama } from '../src/index.ts';

const { values } = parseArgs({
  options: { batch: { type: 'string', default: '4' }, seq: { type: 'string', default: '128' } },
});
const B = Number(values.batch);
const L = Number(values.seq);
const config = { ...ECHO_TINY_RECIPE.model, nVocab: 862 };
const tokens = Int32Array.from({ length: B * L }, (_, i) => (i * 31) % config.nVocab);
const targets = Int32Array.from({ length: B * L }, (_, i) => (i * 31 + 1) % config.nVocab);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const rows: Record<string, number> = {};
for (const kernels of ['native', 'ts'] as const) {
  const model = TinyLlama.init(config, 1, 'f32', kernels);
  model.lossAndGrad(tokens, targets, B); // warm-up
  const times: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    model.lossAndGrad(tokens, targets, B);
    times.push((performance.now() - t0) / 1000);
  }
  rows[kernels] = median(times);
}
console.log(`model d${config.nEmbd} × ${config.nLayer} layers, batch ${B} × ${L} tokens, f32`);
console.log('kernels | s/step | tokens/s');
for (const [k, s] of Object.entries(rows))
  console.log(`${k.padEnd(7)} | ${s.toFixed(2).padStart(6)} | ${((B * L) / s).toFixed(0)}`);
console.log(
  JSON.stringify({
    batch: B,
    seqLen: L,
    nativeSecondsPerStep: rows.native,
    tsSecondsPerStep: rows.ts,
    speedup: rows.ts! / rows.native!,
    nativeTokensPerSecond: (B * L) / rows.native!,
  }),
);
