/**
 * `npm run bench:serve`: a bounded streaming-chat load on loopback against `dte serve`, started as a
 * child process (the real CLI) so the client does not share the server's event loop. N concurrent
 * clients (fetch + SSE) send a fixed number of chats; prints requests/s, output tok/s, TTFT and
 * inter-token latency p50/p99, errors (must be 0) and KV blocks in use after the run (must be 0).
 * The last line is one JSON object.
 *
 * Options: --model F.gguf (default ../shared/models/stories260K.gguf) --backend native|reference
 * --concurrency 16 --requests 256 --max-tokens 128 --url URL (use a running server instead).
 * The peer, measured in the same run: the same workload straight on the engine in this process
 * (no HTTP, no JSON, no SSE), so `httpVsEngine` is the share of engine throughput the server keeps.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { LoadBackend } from '@dte/engine-core';
import { readSse } from '../src/client/readSse.ts';
import { chatPromptTokens } from '../src/routes/v1/chatCompletions.ts';
import { loadServedModel } from '../src/ServedModel.ts';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const { values } = parseArgs({
  options: {
    model: { type: 'string', default: resolve(ROOT, '..', 'shared', 'models', 'stories260K.gguf') },
    backend: { type: 'string', default: 'cpu' },
    concurrency: { type: 'string', default: '16' },
    requests: { type: 'string', default: '256' },
    'max-tokens': { type: 'string', default: '128' },
    url: { type: 'string' },
  },
});
const concurrency = Number(values.concurrency);
const numRequests = Number(values.requests);
const maxTokens = Number(values['max-tokens']);

const NAMES = ['Lily', 'Tom', 'Sue', 'Max', 'Ben', 'Mia', 'Sam', 'Zoe'];
const PLACES = ['park', 'forest', 'beach', 'garden', 'school', 'farm', 'river', 'town'];
/** Deterministic, varied prompts (request i). */
function promptOf(i: number): string {
  return `Once upon a time, ${NAMES[i % NAMES.length]} went to the ${PLACES[(i * 3 + 1) % PLACES.length]} to find a ${['ball', 'dog', 'cake', 'kite'][i % 4]}.`;
}

async function startServer(): Promise<{ url: string; child: ChildProcess | null }> {
  if (values.url) return { url: values.url.replace(/\/+$/, ''), child: null };
  if (!existsSync(values.model)) throw new Error(`bench:serve: model ${values.model} not found (give --model)`);
  const child = spawn(
    process.execPath,
    [
      resolve(ROOT, 'packages/cli/bin/dte.js'),
      'serve',
      '--model',
      values.model,
      '--backend',
      values.backend,
      '--port',
      '0',
      '--max-num-seqs',
      String(Math.max(concurrency, 1)),
      '--kv-cache-memory',
      '256MiB',
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  const url = await new Promise<string>((ok, fail) => {
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
      const m = /dte serve: \S+ on (http:\/\/\S+)\/v1/.exec(stderr);
      if (m) ok(m[1]!);
    });
    child.on('exit', (code) => fail(new Error(`dte serve exited (${code}): ${stderr}`)));
  });
  return { url, child };
}

interface Sample {
  ok: boolean;
  ttftMs: number;
  itlMs: number[];
  e2eMs: number;
  outputTokens: number;
}

async function oneRequest(url: string, model: string, i: number): Promise<Sample> {
  const t0 = performance.now();
  const sample: Sample = { ok: false, ttftMs: Number.NaN, itlMs: [], e2eMs: 0, outputTokens: 0 };
  try {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model,
        messages: [{ role: 'user', content: promptOf(i) }],
        max_tokens: maxTokens,
        temperature: 0.8,
        seed: i,
        ignore_eos: true,
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    let last = 0;
    for await (const chunk of readSse(res)) {
      const now = performance.now();
      const choice = (chunk.choices as { delta?: { content?: string } }[])[0];
      if (choice?.delta?.content) {
        if (Number.isNaN(sample.ttftMs)) sample.ttftMs = now - t0;
        else sample.itlMs.push(now - last);
        last = now;
      }
      const usage = chunk.usage as { completion_tokens: number } | null | undefined;
      if (usage) sample.outputTokens = usage.completion_tokens;
    }
    sample.ok = sample.outputTokens === maxTokens;
  } catch {
    sample.ok = false;
  }
  sample.e2eMs = performance.now() - t0;
  return sample;
}

/** The same workload on an in-process engine (no HTTP): output tokens per second. */
async function engineOnly(): Promise<number> {
  const served = await loadServedModel(values.model, {
    backend: values.backend as LoadBackend,
    kvCacheBytes: 256 << 20,
    maxNumSeqs: Math.max(concurrency, 1),
  });
  try {
    const run = async (i: number): Promise<number> => {
      const promptTokenIds = chatPromptTokens(served, {
        model: served.id,
        messages: [{ role: 'user', content: promptOf(i) }],
      });
      let n = 0;
      for await (const d of served.engine.generate({
        promptTokenIds,
        sampling: { maxTokens, temperature: 0.8, seed: i, ignoreEos: true },
      }))
        n += d.tokenIds.length;
      return n;
    };
    await run(0);
    let next = 0;
    let tokens = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < numRequests; i = next++) {
          // Not `tokens += await …`: that reads `tokens` before the await and loses other workers' counts.
          const n = await run(i);
          tokens += n;
        }
      }),
    );
    return tokens / ((performance.now() - t0) / 1000);
  } finally {
    await served.close();
  }
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

function gauge(metrics: string, name: string): number {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics);
  return m ? Number(m[1]) : Number.NaN;
}

const { url, child } = await startServer();
try {
  const model = ((await (await fetch(`${url}/v1/models`)).json()) as { data: { id: string }[] }).data[0]!.id;
  // Warm-up (not measured).
  await oneRequest(url, model, 0);
  let next = 0;
  const samples: Sample[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < numRequests; i = next++) samples.push(await oneRequest(url, model, i));
    }),
  );
  const wallS = (performance.now() - t0) / 1000;
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const ok = samples.filter((s) => s.ok);
  const outputTokens = ok.reduce((a, s) => a + s.outputTokens, 0);
  const ttft = ok.map((s) => s.ttftMs);
  const itl = ok.flatMap((s) => s.itlMs);
  const e2e = ok.map((s) => s.e2eMs);
  const result = {
    bench: 'serve',
    backend: values.url ? 'external' : values.backend,
    model,
    concurrency,
    requests: numRequests,
    maxTokens,
    wallS: +wallS.toFixed(3),
    requestsPerS: +(ok.length / wallS).toFixed(2),
    outputTokPerS: +(outputTokens / wallS).toFixed(1),
    ttftMsP50: +quantile(ttft, 0.5).toFixed(2),
    ttftMsP99: +quantile(ttft, 0.99).toFixed(2),
    itlMsP50: +quantile(itl, 0.5).toFixed(3),
    itlMsP99: +quantile(itl, 0.99).toFixed(3),
    e2eMsP50: +quantile(e2e, 0.5).toFixed(1),
    errors: samples.length - ok.length,
    kvBlocksInUseAfter: gauge(metrics, 'dte_kv_cache_blocks_in_use'),
    preemptions: gauge(metrics, 'dte_num_preemptions_total'),
    prefixCacheHitRate: +gauge(metrics, 'dte_prefix_cache_hit_rate').toFixed(3),
    engineOutputTokPerS: Number.NaN,
    httpVsEngine: Number.NaN,
  };
  if (child) {
    // Stop the server first: its idle native workers must not compete with the peer run.
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  if (!values.url) {
    result.engineOutputTokPerS = +(await engineOnly()).toFixed(1);
    result.httpVsEngine = +(result.outputTokPerS / result.engineOutputTokPerS).toFixed(3);
  }
  const rows: [string, string][] = [
    ['backend / model', `${result.backend} / ${model}`],
    ['concurrency × requests', `${concurrency} × ${numRequests} (max_tokens ${maxTokens}, ignore_eos)`],
    ['wall time', `${result.wallS} s`],
    ['requests/s', String(result.requestsPerS)],
    ['output tok/s', String(result.outputTokPerS)],
    ['peer: engine only, tok/s', `${result.engineOutputTokPerS} (server keeps ${result.httpVsEngine}×)`],
    ['TTFT p50 / p99', `${result.ttftMsP50} / ${result.ttftMsP99} ms`],
    ['inter-token p50 / p99', `${result.itlMsP50} / ${result.itlMsP99} ms`],
    ['end-to-end p50', `${result.e2eMsP50} ms`],
    ['errors', String(result.errors)],
    ['KV blocks in use after', String(result.kvBlocksInUseAfter)],
    ['preemptions', String(result.preemptions)],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
  console.log(JSON.stringify(result));
  if (result.errors !== 0 || result.kvBlocksInUseAfter !== 0) process.exitCode = 1;
} finally {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}
