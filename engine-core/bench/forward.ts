/**
 * bench:forward — our Llama forward vs llama.cpp (node-llama-cpp, CPU) on the same synthetic
 * ~110M-parameter llama GGUF, per weight type (F32, Q8_0, Q4_K), 2 threads, in the same run:
 * prefill tok/s (512-token prompt), decode tok/s at batch 1 (128 tokens), aggregate decode tok/s at
 * batch 8 and 32 (several sequences per forward; llama.cpp: several sequences of one context), the
 * ratios, and batch-1 decode as a % of the memory-bandwidth bound (bandwidth measured in this run
 * with @dte/native's memBandwidth). Last line: one JSON object.
 * Env: DTE_BENCH_TYPES=F32,Q8_0,Q4_K  DTE_BENCH_PARAMS=110M  DTE_BENCH_THREADS=2  DTE_BENCH_BACKEND=native|reference
 * DTE_BENCH_PREFILL=512 DTE_BENCH_DECODE=128 DTE_BENCH_BATCH_STEPS=16. On an oversubscribed machine (load
 * above the core count) both engines' 2-thread barriers collapse (llama.cpp's spin-waits worst: a 2-thread
 * run took > 15 min); DTE_BENCH_THREADS=1 then gives comparable figures in ~7 minutes.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memBandwidth, setNumThreads } from '@dte/native';
import { getLlama, type LlamaModel as LlamaCppModel, type Token } from 'node-llama-cpp';
import { SeededRng } from '../src/engine/SeededRng.ts';
import type { ForwardBatch } from '../src/model/LlamaTypes.ts';
import { type LoadedModel, loadModel } from '../src/model/loadModel.ts';
import { synthesizeModel } from '../src/synth/synthesizeModel.ts';

const TYPES = (process.env.DTE_BENCH_TYPES ?? 'F32,Q8_0,Q4_K').split(',');
const PARAMS = process.env.DTE_BENCH_PARAMS ?? '110M';
const THREADS = Number(process.env.DTE_BENCH_THREADS ?? 2);
const BACKEND = (process.env.DTE_BENCH_BACKEND ?? 'native') as 'native' | 'reference';
const PREFILL = Number(process.env.DTE_BENCH_PREFILL ?? 512);
const DECODE = Number(process.env.DTE_BENCH_DECODE ?? 128);
const BATCHES = [8, 32];
const BATCH_PROMPT = 64;
const BATCH_STEPS = Number(process.env.DTE_BENCH_BATCH_STEPS ?? 16);
const CACHE = fileURLToPath(new URL('../../node_modules/.cache/dte-bench/', import.meta.url));

const log = (s: string) => process.stderr.write(`${s}\n`);

function modelPath(type: string): string {
  mkdirSync(CACHE, { recursive: true });
  const path = join(CACHE, `llama-${PARAMS}-${type}-seed1.gguf`);
  if (!existsSync(path)) {
    const t0 = performance.now();
    const bytes = synthesizeModel({ arch: 'llama', params: PARAMS, type, seed: 1 });
    writeFileSync(`${path}.tmp`, bytes);
    renameSync(`${path}.tmp`, path);
    log(
      `synthesized ${path} (${(bytes.byteLength / 1048576).toFixed(0)} MiB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  return path;
}

function randomTokens(n: number, nVocab: number, rng: SeededRng): number[] {
  return Array.from({ length: n }, () => 3 + Math.floor(rng.nextFloat() * (nVocab - 3)));
}

interface Seq {
  tokens: number[];
  start: number;
  firstBlock: number;
}

/** One forward batch over several sequences, each owning consecutive blocks from `firstBlock`. */
function batchOf(seqs: Seq[], blockSize: number, maxBlocksPerSeq: number): ForwardBatch {
  const tokens: number[] = [];
  const positions: number[] = [];
  const slots: number[] = [];
  const starts = [0];
  const ctx: number[] = [];
  const table: number[] = [];
  const logits: number[] = [];
  for (const s of seqs) {
    s.tokens.forEach((t, i) => {
      tokens.push(t);
      positions.push(s.start + i);
      slots.push(s.firstBlock * blockSize + s.start + i);
    });
    starts.push(tokens.length);
    logits.push(tokens.length - 1);
    ctx.push(s.start + s.tokens.length);
    for (let b = 0; b < maxBlocksPerSeq; b++) table.push(s.firstBlock + b);
  }
  return {
    tokens: Int32Array.from(tokens),
    positions: Int32Array.from(positions),
    seqStarts: Int32Array.from(starts),
    contextLens: Int32Array.from(ctx),
    blockTables: Int32Array.from(table),
    maxBlocksPerSeq,
    slotMapping: Int32Array.from(slots),
    logitsIndices: Int32Array.from(logits),
  };
}

function argmaxRows(logits: Float32Array, rows: number, n: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < n; j++) if (logits[r * n + j]! > logits[r * n + best]!) best = j;
    out.push(best);
  }
  return out;
}

interface Figures {
  prefill: number;
  decode_b1: number;
  decode_b8: number;
  decode_b32: number;
}

async function benchOurs(loaded: LoadedModel, rng: SeededRng): Promise<Figures> {
  const { model, config } = loaded;
  const bs = config.blockSize;
  const perSeqBlocks = Math.ceil((PREFILL + DECODE) / bs);
  const prompt = randomTokens(PREFILL, config.nVocab, rng);
  const prefillTimes: number[] = [];
  let logits: Float32Array = new Float32Array(0);
  for (let rep = 0; rep < 2; rep++) {
    const t0 = performance.now();
    logits = await model.forward(batchOf([{ tokens: prompt, start: 0, firstBlock: 0 }], bs, perSeqBlocks));
    prefillTimes.push(performance.now() - t0);
  }
  log(`  ours prefill ${PREFILL}: ${prefillTimes.map((t) => t.toFixed(0)).join(', ')} ms`);
  let next = argmaxRows(logits, 1, config.nVocab)[0]!;
  const t1 = performance.now();
  for (let i = 0; i < DECODE; i++) {
    logits = await model.forward(batchOf([{ tokens: [next], start: PREFILL + i, firstBlock: 0 }], bs, perSeqBlocks));
    next = argmaxRows(logits, 1, config.nVocab)[0]!;
  }
  const decodeMs = performance.now() - t1;
  log(`  ours decode b1: ${DECODE} tokens in ${decodeMs.toFixed(0)} ms`);
  const agg: number[] = [];
  for (const S of BATCHES) {
    const blocks = Math.ceil((BATCH_PROMPT + BATCH_STEPS) / bs);
    const seqs: Seq[] = Array.from({ length: S }, (_, s) => ({
      tokens: randomTokens(BATCH_PROMPT, config.nVocab, rng),
      start: 0,
      firstBlock: s * blocks,
    }));
    // Prefill in chunks of at most 512 tokens (untimed), then S-token decode steps (timed).
    const per = Math.max(1, Math.floor(512 / BATCH_PROMPT));
    let last: number[] = [];
    for (let i = 0; i < S; i += per) {
      const part = seqs.slice(i, i + per);
      last.push(...argmaxRows(await model.forward(batchOf(part, bs, blocks)), part.length, config.nVocab));
    }
    const t2 = performance.now();
    for (let step = 0; step < BATCH_STEPS; step++) {
      const step_ = seqs.map((s, i) => ({ tokens: [last[i]!], start: BATCH_PROMPT + step, firstBlock: s.firstBlock }));
      last = argmaxRows(await model.forward(batchOf(step_, bs, blocks)), S, config.nVocab);
    }
    agg.push((S * BATCH_STEPS * 1000) / (performance.now() - t2));
    log(`  ours decode b${S}: ${agg.at(-1)!.toFixed(1)} tok/s`);
  }
  return {
    prefill: (PREFILL * 1000) / Math.min(...prefillTimes),
    decode_b1: (DECODE * 1000) / decodeMs,
    decode_b8: agg[0]!,
    decode_b32: agg[1]!,
  };
}

async function benchLlamaCpp(path: string, nVocab: number, rng: SeededRng): Promise<Figures> {
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'error' as never });
  const model: LlamaCppModel = await llama.loadModel({ modelPath: path, gpuLayers: 0 });
  const prompt = randomTokens(PREFILL, nVocab, rng) as Token[];
  let ctx = await model.createContext({
    contextSize: PREFILL + DECODE + 64,
    batchSize: PREFILL,
    threads: THREADS,
    flashAttention: false,
  });
  const seq = ctx.getSequence();
  const prefillTimes: number[] = [];
  for (let rep = 0; rep < 2; rep++) {
    await seq.clearHistory();
    const t0 = performance.now();
    await seq.evaluateWithoutGeneratingNewTokens(prompt);
    prefillTimes.push(performance.now() - t0);
  }
  log(`  llama.cpp prefill ${PREFILL}: ${prefillTimes.map((t) => t.toFixed(0)).join(', ')} ms`);
  let n = 0;
  const t1 = performance.now();
  for await (const _ of seq.evaluate([prompt[0]!], { temperature: 0 })) if (++n >= DECODE) break;
  const decodeMs = performance.now() - t1;
  log(`  llama.cpp decode b1: ${DECODE} tokens in ${decodeMs.toFixed(0)} ms`);
  await ctx.dispose();
  const agg: number[] = [];
  for (const S of BATCHES) {
    ctx = await model.createContext({
      sequences: S,
      contextSize: S * (BATCH_PROMPT + BATCH_STEPS + 16),
      batchSize: 512,
      threads: THREADS,
      flashAttention: false,
    });
    const seqs = Array.from({ length: S }, () => ctx.getSequence());
    const prompts = seqs.map(() => randomTokens(BATCH_PROMPT, nVocab, rng) as Token[]);
    await Promise.all(seqs.map((s, i) => s.evaluateWithoutGeneratingNewTokens(prompts[i]!.slice(0, -1))));
    const t2 = performance.now();
    await Promise.all(
      seqs.map(async (s, i) => {
        let k = 0;
        for await (const _ of s.evaluate([prompts[i]!.at(-1)!], { temperature: 0 })) if (++k >= BATCH_STEPS) break;
      }),
    );
    agg.push((S * BATCH_STEPS * 1000) / (performance.now() - t2));
    log(`  llama.cpp decode b${S}: ${agg.at(-1)!.toFixed(1)} tok/s`);
    await ctx.dispose();
  }
  await model.dispose();
  return {
    prefill: (PREFILL * 1000) / Math.min(...prefillTimes),
    decode_b1: (DECODE * 1000) / decodeMs,
    decode_b8: agg[0]!,
    decode_b32: agg[1]!,
  };
}

async function main() {
  const started = performance.now();
  setNumThreads(THREADS);
  const bw = memBandwidth(256 * 1024 * 1024, 5);
  log(
    `memory bandwidth (@dte/native memBandwidth, ${bw.threads} threads, 256 MiB x 5 reads): ${bw.gbPerSec.toFixed(1)} GB/s`,
  );
  const results: Record<string, unknown>[] = [];
  const rows: string[] = [];
  for (const type of TYPES) {
    const path = modelPath(type);
    const loaded = await loadModel(path, { backend: BACKEND, numBlocks: 512 });
    const { config, file } = loaded;
    // Bytes streamed per decoded token: every weight once (a tied embedding is read as the output matrix).
    const weightBytes = file.tensors.reduce((a, t) => a + t.nBytes, 0);
    log(
      `${type}: ${config.nLayer} layers, dim ${config.nEmbd}, vocab ${config.nVocab}, ${(weightBytes / 1048576).toFixed(0)} MiB of weights`,
    );
    const ours = await benchOurs(loaded, new SeededRng(1));
    loaded.model.dispose();
    const peer = await benchLlamaCpp(path, config.nVocab, new SeededRng(1));
    // Bandwidth again right after this type's runs: the machine's load drifts over a long run.
    const bwNow = memBandwidth(256 * 1024 * 1024, 3).gbPerSec;
    log(`  bandwidth now ${bwNow.toFixed(1)} GB/s`);
    const boundTokS = (((bw.gbPerSec + bwNow) / 2) * 1e9) / weightBytes;
    const r = {
      type,
      weight_mib: Math.round(weightBytes / 1048576),
      ours,
      llamacpp: peer,
      ratio_prefill: ours.prefill / peer.prefill,
      ratio_decode_b1: ours.decode_b1 / peer.decode_b1,
      ratio_decode_b8: ours.decode_b8 / peer.decode_b8,
      ratio_decode_b32: ours.decode_b32 / peer.decode_b32,
      bandwidth_gbs: (bw.gbPerSec + bwNow) / 2,
      bound_decode_b1: boundTokS,
      pct_bandwidth_b1: (100 * ours.decode_b1) / boundTokS,
      pct_bandwidth_b1_llamacpp: (100 * peer.decode_b1) / boundTokS,
    };
    results.push(r);
    const f = (x: number) => x.toFixed(1).padStart(8);
    rows.push(
      `${type.padEnd(5)} ours     ${f(ours.prefill)} ${f(ours.decode_b1)} ${f(ours.decode_b8)} ${f(ours.decode_b32)}   ${f(r.pct_bandwidth_b1)}%`,
      `${''.padEnd(5)} llama.cpp${f(peer.prefill)} ${f(peer.decode_b1)} ${f(peer.decode_b8)} ${f(peer.decode_b32)}   ${f(r.pct_bandwidth_b1_llamacpp)}%`,
      `${''.padEnd(5)} ratio    ${f(r.ratio_prefill)} ${f(r.ratio_decode_b1)} ${f(r.ratio_decode_b8)} ${f(r.ratio_decode_b32)}   (bound ${boundTokS.toFixed(1)} tok/s)`,
    );
  }
  console.log(
    `\nbench:forward — synthetic llama ${PARAMS}, ${THREADS} threads, backend ${BACKEND}, peer node-llama-cpp (CPU, same file, same run)`,
  );
  console.log(
    `prefill ${PREFILL} tokens; decode b1 ${DECODE} tokens after it; b8/b32: ${BATCH_STEPS} steps after ${BATCH_PROMPT}-token prompts; tok/s`,
  );
  console.log(`bandwidth ${bw.gbPerSec.toFixed(1)} GB/s (@dte/native memBandwidth, ${bw.threads} threads)`);
  console.log(`type  engine     prefill  dec b1   agg b8   agg b32   % of bandwidth bound (b1)`);
  for (const row of rows) console.log(row);
  console.log(
    JSON.stringify({
      bench: 'forward',
      model: `synthetic llama ${PARAMS}`,
      threads: THREADS,
      backend: BACKEND,
      bandwidth_gbs: bw.gbPerSec,
      seconds: (performance.now() - started) / 1000,
      types: Object.fromEntries(results.map((r) => [r.type, r])),
    }),
  );
}

await main();
