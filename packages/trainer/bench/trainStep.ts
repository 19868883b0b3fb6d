// npm run bench:train-step — a training step (forward + backward, no optimiser) of a Llama model on
// the TypeScript reference ops vs the native ops, in the same run; and the native training GEMM vs
// the engine's inference matmul (dot products) on the step's largest linear layer. Medians of 3.
// Default: the echo-tiny shape at 8 × 256 tokens (its training batch). Prints tables, then one JSON line.
import { parseArgs } from 'node:util';
import { cpuInfo, GGML_TYPE, gemmF32, matmul } from '@dte/native';
import { ECHO_TINY_RECIPE, TinyLlama } from '../src/index.ts';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '8' },
    seq: { type: 'string', default: '256' },
    ts: { type: 'boolean', default: true },
  },
  allowNegative: true,
});
const B = Number(values.batch);
const L = Number(values.seq);
const config = { ...ECHO_TINY_RECIPE.model, nVocab: 686 };
const tokens = Int32Array.from({ length: B * L }, (_, i) => (i * 31) % config.nVocab);
const targets = Int32Array.from({ length: B * L }, (_, i) => (i * 31 + 1) % config.nVocab);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const time = (fn: () => void, reps = 3) => {
  fn(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
};

const rows: Record<string, number> = {};
for (const kernels of values.ts ? (['native', 'ts'] as const) : (['native'] as const)) {
  const model = TinyLlama.init(config, 1, 'f32', kernels);
  rows[kernels] = time(() => model.lossAndGrad(tokens, targets, B), kernels === 'ts' ? 1 : 3);
}
const info = cpuInfo();
console.log(
  `model d${config.nEmbd} × ${config.nLayer} layers, batch ${B} × ${L} tokens, f32, ${info.threads} threads, ${info.isa}`,
);
console.log('ops    | s/step | tokens/s');
for (const [k, s] of Object.entries(rows))
  console.log(`${k.padEnd(6)} | ${s.toFixed(3).padStart(6)} | ${((B * L) / s).toFixed(0)}`);

// The FFN up-projection of the step: [T × d] · [nFf × d]ᵀ, as a GEMM and as the inference matmul.
const [m, k, n] = [B * L, config.nEmbd, config.nFf];
const x = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
const w = Float32Array.from({ length: n * k }, (_, i) => Math.cos(i));
const y = new Float32Array(m * n);
const flops = 2 * m * n * k;
const gemmS = time(() => gemmF32(false, true, m, n, k, x, w, y, false), 5);
const wBytes = new Uint8Array(w.buffer);
const matmulS = time(() => matmul(GGML_TYPE.F32, wBytes, k, n, x, m), 5);
console.log(`\nlinear ${m}×${k} · (${n}×${k})ᵀ | GFLOP/s`);
console.log(`gemmF32 (training)       | ${(flops / gemmS / 1e9).toFixed(1)}`);
console.log(`matmul F32 (inference)   | ${(flops / matmulS / 1e9).toFixed(1)}`);
console.log(
  JSON.stringify({
    batch: B,
    seqLen: L,
    threads: info.threads,
    isa: info.isa,
    nativeSecondsPerStep: rows.native,
    tsSecondsPerStep: rows.ts ?? null,
    speedup: rows.ts ? rows.ts / rows.native! : null,
    nativeTokensPerSecond: (B * L) / rows.native!,
    gemmGflops: flops / gemmS / 1e9,
    matmulGflops: flops / matmulS / 1e9,
    gemmVsMatmul: matmulS / gemmS,
  }),
);
