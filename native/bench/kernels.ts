// Kernel benchmark: mat-vec (decode) and mat-mat (prefill) per weight type on each ISA path, plus a
// streaming-read memory-bandwidth probe. Mat-vec is reported as GB/s of weight bytes read (the decode
// roofline is the memory bandwidth), mat-mat as GFLOP/s. Medians over repetitions.
// Usage: npm run bench:kernels [-- --quick]   (env DTE_BENCH_K, DTE_BENCH_N override the mat-vec shape)

import { loadavg } from 'node:os';
import type { GgmlTypeId, IsaName } from '../src/index.ts';
import { cpuInfo, GGML_TYPE, getNumThreads, ggmlRowBytes, matmul, memBandwidth, setIsa } from '../src/index.ts';

const quick = process.argv.includes('--quick');
const K = Number(process.env.DTE_BENCH_K ?? 4096);
const N = Number(process.env.DTE_BENCH_N ?? 4096);
const MM = { k: 2048, n: 2048, m: 64 };
const TYPES: Array<[string, GgmlTypeId]> = [
  ['q8_0', GGML_TYPE.Q8_0],
  ['q4_K', GGML_TYPE.Q4_K],
  ['q4_0', GGML_TYPE.Q4_0],
  ['q6_K', GGML_TYPE.Q6_K],
  ['f16', GGML_TYPE.F16],
  ['bf16', GGML_TYPE.BF16],
  ['f32', GGML_TYPE.F32],
];

/** Seeded xorshift32 fill: random codes; scale fields are patched below so values stay finite. */
function randomBytes(n: number, seed: number): Uint8Array {
  const words = new Uint32Array(Math.ceil(n / 4));
  let s = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    words[i] = s >>> 0;
  }
  return new Uint8Array(words.buffer, 0, n);
}

function weights(type: GgmlTypeId, k: number, n: number): Uint8Array {
  const b = randomBytes(ggmlRowBytes(type, k) * n, 1234 + type);
  const setHalf = (o: number, bits: number): void => {
    b[o] = bits & 0xff;
    b[o + 1] = bits >> 8;
  };
  const halfOne = 0x1c00; // 2^-8
  if (type === GGML_TYPE.F16) for (let o = 0; o < b.length; o += 2) setHalf(o, 0x3000 | ((b[o] as number) & 0x3ff));
  if (type === GGML_TYPE.BF16) for (let o = 0; o < b.length; o += 2) setHalf(o, 0x3c00 | (b[o] as number));
  if (type === GGML_TYPE.F32) {
    const f = new Float32Array(b.buffer, b.byteOffset, b.length / 4);
    for (let i = 0; i < f.length; i++) f[i] = ((b[4 * i] as number) - 128) / 128;
  }
  if (type === GGML_TYPE.Q8_0) for (let o = 0; o < b.length; o += 34) setHalf(o, halfOne);
  if (type === GGML_TYPE.Q4_0) for (let o = 0; o < b.length; o += 18) setHalf(o, halfOne);
  if (type === GGML_TYPE.Q4_K)
    for (let o = 0; o < b.length; o += 144) {
      setHalf(o, halfOne);
      setHalf(o + 2, halfOne);
    }
  if (type === GGML_TYPE.Q6_K) for (let o = 0; o < b.length; o += 210) setHalf(o + 208, halfOne);
  return b;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Median seconds of one call, after a warm-up, over `reps` timed calls (at least ~0.3 s in all). */
function time(fn: () => void, reps: number): number {
  fn();
  const out: number[] = [];
  const start = performance.now();
  for (let i = 0; i < reps || (performance.now() - start < 300 && i < 200); i++) {
    const t0 = performance.now();
    fn();
    out.push((performance.now() - t0) / 1000);
  }
  return median(out);
}

const info = cpuInfo();
const isas: IsaName[] = info.available;
const bw = memBandwidth(256 * 1024 * 1024, quick ? 2 : 5);
const x1 = new Float32Array(K).map((_, i) => Math.sin(i));
const xm = new Float32Array(MM.m * MM.k).map((_, i) => Math.cos(i));

interface Row {
  type: string;
  isa: IsaName;
  matvecMs: number;
  matvecGBs: number;
  matvecOfBandwidth: number;
  matmatMs: number;
  matmatGflops: number;
}
const rows: Row[] = [];
for (const [name, type] of TYPES) {
  const w = weights(type, K, N);
  const wm = weights(type, MM.k, MM.n);
  for (const isa of isas) {
    setIsa(isa);
    if (isa === 'generic' && quick && name !== 'q8_0') continue;
    const tv = time(() => matmul(type, w, K, N, x1, 1), quick ? 3 : 10);
    const tm = time(() => matmul(type, wm, MM.k, MM.n, xm, MM.m), quick ? 1 : 3);
    const gbs = w.length / tv / 1e9;
    rows.push({
      type: name,
      isa,
      matvecMs: tv * 1e3,
      matvecGBs: gbs,
      matvecOfBandwidth: gbs / bw.gbPerSec,
      matmatMs: tm * 1e3,
      matmatGflops: (2 * MM.m * MM.n * MM.k) / tm / 1e9,
    });
  }
}
setIsa(isas[isas.length - 1] as IsaName);

const pad = (s: string | number, n: number): string => String(s).padStart(n);
console.log(
  `threads ${getNumThreads()}, features ${JSON.stringify(info.features)}, load average ${loadavg()[0]?.toFixed(1)} (numbers are depressed on a busy machine)`,
);
console.log('"of bw": mat-vec weight bytes/s over the streaming-read probe; > 100% means the weights sat in cache');
console.log(`memory bandwidth (streaming read, ${bw.threads} threads): ${bw.gbPerSec.toFixed(1)} GB/s`);
console.log(`mat-vec k=${K} n=${N} m=1; mat-mat k=${MM.k} n=${MM.n} m=${MM.m}`);
console.log(
  `${pad('type', 6)} ${pad('isa', 8)} ${pad('mv ms', 9)} ${pad('mv GB/s', 9)} ${pad('of bw', 7)} ${pad('mm ms', 9)} ${pad('mm GFLOP/s', 11)}`,
);
for (const r of rows) {
  console.log(
    `${pad(r.type, 6)} ${pad(r.isa, 8)} ${pad(r.matvecMs.toFixed(2), 9)} ${pad(r.matvecGBs.toFixed(1), 9)} ${pad(`${(r.matvecOfBandwidth * 100).toFixed(0)}%`, 7)} ${pad(r.matmatMs.toFixed(1), 9)} ${pad(r.matmatGflops.toFixed(1), 11)}`,
  );
}
const speedup: Record<string, { matvec: number; matmat: number }> = {};
for (const r of rows) {
  const g = rows.find((q) => q.type === r.type && q.isa === 'generic');
  if (r.isa === 'avx2' && g !== undefined)
    speedup[r.type] = { matvec: g.matvecMs / r.matvecMs, matmat: g.matmatMs / r.matmatMs };
}
console.log(
  JSON.stringify({
    bench: 'kernels',
    threads: getNumThreads(),
    memBandwidthGBs: bw.gbPerSec,
    loadAverage: loadavg()[0],
    shape: { matvec: { k: K, n: N, m: 1 }, matmat: MM },
    rows,
    avx2VsGeneric: speedup,
  }),
);
