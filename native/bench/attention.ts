// Paged-attention benchmark on each ISA path: a decode step (many sequences, one query each: memory-bound,
// reported as GB/s of K/V read against the streaming-read bandwidth measured in the same run) and a causal
// prefill (compute-bound, GFLOP/s). Block tables are shuffled, as after a long-running engine. Medians.
// Usage: npm run bench:attention [-- --quick]

import type { IsaName, PagedAttentionArgs } from '../src/index.ts';
import { cpuInfo, getNumThreads, memBandwidth, pagedAttention, setIsa } from '../src/index.ts';

const quick = process.argv.includes('--quick');
const G = { nHead: 32, nHeadKv: 8, headDim: 128, blockSize: 16 };
const DECODE = { seqs: 16, ctx: quick ? 512 : 1024 };
const PREFILL = { tokens: quick ? 256 : 512 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function time(fn: () => void, minReps: number): number {
  fn();
  const out: number[] = [];
  const start = performance.now();
  for (let i = 0; i < minReps || (performance.now() - start < 400 && i < 100); i++) {
    const t0 = performance.now();
    fn();
    out.push((performance.now() - t0) / 1000);
  }
  return median(out);
}

/** Sequences of the given (cache) lengths with `newTokens` queries each, over shuffled blocks. */
function makeArgs(lens: number[], newTokens: number): PagedAttentionArgs {
  const { blockSize, nHead, nHeadKv, headDim } = G;
  const perSeq = lens.map((l) => Math.ceil(l / blockSize));
  const numBlocks = perSeq.reduce((a, b) => a + b, 0);
  const ids = Array.from({ length: numBlocks }, (_, i) => i);
  let s = 12345;
  for (let i = ids.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) >>> 0;
    const j = s % (i + 1);
    [ids[i], ids[j]] = [ids[j] as number, ids[i] as number];
  }
  const maxBlocksPerSeq = Math.max(...perSeq);
  const blockTables = new Int32Array(lens.length * maxBlocksPerSeq).fill(-1);
  let next = 0;
  perSeq.forEach((n, q) => {
    for (let b = 0; b < n; b++) blockTables[q * maxBlocksPerSeq + b] = ids[next++] as number;
  });
  const T = lens.length * newTokens;
  const positions = new Int32Array(T);
  const slotMapping = new Int32Array(T);
  const seqStarts = new Int32Array(lens.length + 1);
  lens.forEach((l, q) => {
    seqStarts[q + 1] = (q + 1) * newTokens;
    for (let i = 0; i < newTokens; i++) {
      const p = l - newTokens + i;
      const t = q * newTokens + i;
      positions[t] = p;
      slotMapping[t] =
        (blockTables[q * maxBlocksPerSeq + Math.floor(p / blockSize)] as number) * blockSize + (p % blockSize);
    }
  });
  const cacheLen = numBlocks * blockSize * nHeadKv * headDim;
  const fill = (n: number, phase: number) => new Float32Array(n).map((_, i) => Math.sin(i * 0.37 + phase));
  return {
    q: fill(T * nHead * headDim, 1),
    k: fill(T * nHeadKv * headDim, 2),
    v: fill(T * nHeadKv * headDim, 3),
    kCache: fill(cacheLen, 4),
    vCache: fill(cacheLen, 5),
    numBlocks,
    ...G,
    positions,
    seqStarts,
    contextLens: Int32Array.from(lens),
    blockTables,
    maxBlocksPerSeq,
    slotMapping,
  };
}

const info = cpuInfo();
const bw = memBandwidth(256 * 1024 * 1024, quick ? 2 : 5);
const decode = makeArgs(Array(DECODE.seqs).fill(DECODE.ctx), 1);
const prefill = makeArgs([PREFILL.tokens], PREFILL.tokens);
const kvBytes = DECODE.seqs * DECODE.ctx * G.nHeadKv * G.headDim * 4 * 2;
const T = PREFILL.tokens;
const prefillFlops = 4 * G.nHead * G.headDim * ((T * (T + 1)) / 2);

const rows: Array<{ isa: IsaName; decodeMs: number; decodeGBs: number; prefillMs: number; prefillGflops: number }> = [];
for (const isa of info.available) {
  setIsa(isa);
  const d = time(() => pagedAttention(decode), 5);
  const p = time(() => pagedAttention(prefill), 3);
  rows.push({
    isa,
    decodeMs: d * 1e3,
    decodeGBs: kvBytes / d / 1e9,
    prefillMs: p * 1e3,
    prefillGflops: prefillFlops / p / 1e9,
  });
}
setIsa(info.available.includes('avx2') ? 'avx2' : 'generic');

console.log(
  `paged attention: ${G.nHead} heads / ${G.nHeadKv} kv heads × ${G.headDim}, block ${G.blockSize}, threads ${getNumThreads()}`,
);
console.log(
  `decode: ${DECODE.seqs} seqs × ctx ${DECODE.ctx} (${(kvBytes / 1e6).toFixed(0)} MB K/V); prefill: ${T} tokens causal`,
);
console.log(`streaming-read bandwidth (same run): ${bw.gbPerSec.toFixed(1)} GB/s`);
console.log('isa      decode ms  decode GB/s  % of bw   prefill ms  prefill GFLOP/s');
for (const r of rows) {
  console.log(
    `${r.isa.padEnd(8)} ${r.decodeMs.toFixed(2).padStart(9)}  ${r.decodeGBs.toFixed(1).padStart(11)}  ${((100 * r.decodeGBs) / bw.gbPerSec).toFixed(0).padStart(7)}%  ${r.prefillMs.toFixed(1).padStart(10)}  ${r.prefillGflops.toFixed(1).padStart(15)}`,
  );
}
const byIsa = Object.fromEntries(rows.map((r) => [r.isa, r]));
const avx2 = byIsa.avx2;
const generic = byIsa.generic;
console.log(
  JSON.stringify({
    bench: 'attention',
    threads: getNumThreads(),
    bandwidthGBs: bw.gbPerSec,
    rows,
    decodeFractionOfBandwidth: (avx2 ?? generic)!.decodeGBs / bw.gbPerSec,
    avx2VsGenericDecode: avx2 && generic ? generic.decodeMs / avx2.decodeMs : null,
    avx2VsGenericPrefill: avx2 && generic ? generic.prefillMs / avx2.prefillMs : null,
  }),
);
