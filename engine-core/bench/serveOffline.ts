/**
 * Offline serving throughput, nano-vLLM's protocol scaled to 2 cores: N requests with random prompt
 * token ids (random lengths) and random output lengths (ignore EOS, greedy), all submitted at once;
 * throughput = generated tokens / wall time. The peer, node-llama-cpp (llama.cpp), does the same work
 * in the same run with the same parallelism and threads. A second workload measures the prefix
 * cache: requests sharing a long prefix, TTFT with the cache on vs off.
 *
 * Run: npm run bench:serve-offline   (env: DTE_BENCH_MODEL, DTE_BENCH_SEQS, DTE_BENCH_PARALLEL, DTE_BENCH_THREADS)
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createEngine, loadModel } from '@dte/engine-core';
import { getLlama, type Token } from 'node-llama-cpp';
import { SeededRng } from '../src/engine/SeededRng.ts';

const MODEL =
  process.env.DTE_BENCH_MODEL ?? fileURLToPath(new URL('../../../shared/models/stories260K.gguf', import.meta.url));
const NUM_SEQS = Number(process.env.DTE_BENCH_SEQS ?? 32);
const PARALLEL = Number(process.env.DTE_BENCH_PARALLEL ?? 8);
// One thread per engine by default: on this shared 2-core machine (load 3-14 from other jobs) two
// spinning worker threads per engine collapse (llama.cpp measured 300 ms/token; runs did not finish
// in 5 min). On a quiet machine set DTE_BENCH_THREADS=2. The JSON records threads and load.
const THREADS = Number(process.env.DTE_BENCH_THREADS ?? 1);
const MIN_LEN = 16;
const MAX_LEN = 256;
const REPEATS = Number(process.env.DTE_BENCH_REPEATS ?? 3);
const BACKEND = (process.env.DTE_BENCH_BACKEND ?? 'native') as 'native' | 'reference';

interface Work {
  prompts: number[][];
  outLens: number[];
}

function makeWork(nVocab: number, seed: number): Work {
  const rng = new SeededRng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rng.nextFloat() * (hi - lo + 1));
  const prompts: number[][] = [];
  const outLens: number[] = [];
  for (let i = 0; i < NUM_SEQS; i++) {
    // Token 1 (BOS) first, then ordinary tokens (ids >= 3 skip <unk>, <s>, </s>).
    prompts.push([1, ...Array.from({ length: int(MIN_LEN, MAX_LEN) - 1 }, () => int(3, nVocab - 1))]);
    outLens.push(int(MIN_LEN, MAX_LEN));
  }
  return { prompts, outLens };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function setThreads(): Promise<void> {
  try {
    const native = (await import('@dte/native')) as { setNumThreads?: (n: number) => number };
    native.setNumThreads?.(THREADS);
  } catch {
    // reference backend: single-threaded anyway
  }
}

async function runOurs(work: Work, numBlocks: number): Promise<number> {
  const loaded = await loadModel(MODEL, { numBlocks, backend: BACKEND });
  const engine = createEngine(loaded, { maxNumSeqs: PARALLEL, maxNumBatchedTokens: 2048, enablePrefixCaching: false });
  await engine.collect({ promptTokenIds: work.prompts[0]!.slice(0, 8), sampling: { temperature: 0, maxTokens: 4 } });
  const t0 = performance.now();
  const results = await Promise.all(
    work.prompts.map((p, i) =>
      engine.collect({ promptTokenIds: p, sampling: { temperature: 0, maxTokens: work.outLens[i]!, ignoreEos: true } }),
    ),
  );
  const dt = (performance.now() - t0) / 1000;
  const n = results.reduce((a, ds) => a + ds.reduce((b, d) => b + d.tokenIds.length, 0), 0);
  if (n !== work.outLens.reduce((a, b) => a + b, 0)) throw new Error(`ours generated ${n} tokens`);
  await engine.close();
  loaded.model.dispose();
  return n / dt;
}

async function runLlamaCpp(work: Work): Promise<number> {
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'error' as never });
  const model = await llama.loadModel({ modelPath: MODEL, gpuLayers: 0 });
  const context = await model.createContext({
    contextSize: PARALLEL * (2 * MAX_LEN + 16),
    sequences: PARALLEL,
    batchSize: 2048,
    threads: THREADS,
  });
  const pool = Array.from({ length: PARALLEL }, () => context.getSequence());
  const generate = async (seqIdx: number, prompt: number[], n: number): Promise<number> => {
    const seq = pool[seqIdx]!;
    await seq.clearHistory();
    let got = 0;
    for await (const _t of seq.evaluate(prompt as Token[], { temperature: 0, yieldEogToken: true })) {
      if (++got >= n) break;
    }
    if (process.env.DTE_BENCH_DEBUG) console.error('peer', seqIdx, prompt.length, n, got);
    return got;
  };
  await generate(0, work.prompts[0]!.slice(0, 8), 4);
  const t0 = performance.now();
  let next = 0;
  let total = 0;
  await Promise.all(
    pool.map(async (_s, k) => {
      while (next < work.prompts.length) {
        const i = next++;
        const got = await generate(k, work.prompts[i]!, work.outLens[i]!);
        total += got; // not `total += await …`: that reads `total` before the await
      }
    }),
  );
  const dt = (performance.now() - t0) / 1000;
  if (total !== work.outLens.reduce((a, b) => a + b, 0)) throw new Error(`llama.cpp generated ${total} tokens`);
  await context.dispose();
  await model.dispose();
  return total / dt;
}

/** Mean TTFT (ms) of requests sharing a long prefix, submitted one after another after a warm-up. */
async function prefixTtft(enablePrefixCaching: boolean, nVocab: number): Promise<number> {
  const rng = new SeededRng(7);
  const tok = () => 3 + Math.floor(rng.nextFloat() * (nVocab - 3));
  const prefix = [1, ...Array.from({ length: 767 }, tok)];
  const loaded = await loadModel(MODEL, { numBlocks: 512, backend: BACKEND });
  const engine = createEngine(loaded, { maxNumSeqs: 8, maxNumBatchedTokens: 2048, enablePrefixCaching });
  const ttfts: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    let first = 0;
    for await (const _d of engine.generate({
      promptTokenIds: [...prefix, ...Array.from({ length: 16 }, tok)],
      sampling: { temperature: 0, maxTokens: 1 },
    })) {
      first ||= performance.now() - t0;
    }
    if (i > 0) ttfts.push(first); // request 0 warms the cache
  }
  await engine.close();
  loaded.model.dispose();
  return median(ttfts);
}

async function main(): Promise<void> {
  await setThreads();
  const probe = await loadModel(MODEL, { numBlocks: 1, backend: 'reference' });
  const nVocab = probe.config.nVocab;
  const work = makeWork(nVocab, 1);
  const numBlocks = Math.ceil((PARALLEL * (2 * MAX_LEN + 16)) / 16);
  const totalOut = work.outLens.reduce((a, b) => a + b, 0);
  const ours: number[] = [];
  const peer: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    // Alternate the order so that machine noise hits both alike.
    if (r % 2 === 0) {
      ours.push(await runOurs(work, numBlocks));
      peer.push(await runLlamaCpp(work));
    } else {
      peer.push(await runLlamaCpp(work));
      ours.push(await runOurs(work, numBlocks));
    }
  }
  const ttftOff = await prefixTtft(false, nVocab);
  const ttftOn = await prefixTtft(true, nVocab);
  const backend = (await loadModel(MODEL, { numBlocks: 1 })
    .then((m) => m.backend)
    .catch(() => 'reference')) as string;
  const oursTps = median(ours);
  const peerTps = median(peer);
  console.log(
    `serve-offline: ${MODEL.split('/').pop()} (${backend}), ${THREADS} threads, ${NUM_SEQS} requests, ` +
      `prompt/output lengths uniform ${MIN_LEN}-${MAX_LEN}, parallel ${PARALLEL}, greedy, ignore_eos, ${totalOut} output tokens`,
  );
  console.log('| engine | output tok/s (median of %d) | runs |', REPEATS);
  console.log('|---|---|---|');
  console.log(`| dte LlmEngine | ${oursTps.toFixed(0)} | ${ours.map((x) => x.toFixed(0)).join(', ')} |`);
  console.log(`| node-llama-cpp | ${peerTps.toFixed(0)} | ${peer.map((x) => x.toFixed(0)).join(', ')} |`);
  console.log(
    `shared 768-token prefix + 16 unique tokens: TTFT median ${ttftOff.toFixed(2)} ms without prefix cache, ${ttftOn.toFixed(2)} ms with`,
  );
  console.log(
    JSON.stringify({
      model: MODEL.split('/').pop(),
      backend,
      threads: THREADS,
      load_average: Number(loadavg()[0]!.toFixed(1)),
      num_requests: NUM_SEQS,
      parallel: PARALLEL,
      output_tokens: totalOut,
      ours_tok_s: Math.round(oursTps),
      llamacpp_tok_s: Math.round(peerTps),
      ratio_throughput: Number((oursTps / peerTps).toFixed(3)),
      ttft_ms_no_prefix_cache: Number(ttftOff.toFixed(3)),
      ttft_ms_prefix_cache: Number(ttftOn.toFixed(3)),
      ttft_speedup_prefix_cache: Number((ttftOff / ttftOn).toFixed(2)),
    }),
  );
}

await main();
