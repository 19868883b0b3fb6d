// Tokenizer throughput vs llama.cpp (node-llama-cpp's prebuilt binary) in the same run.
// Usage: npm run bench:tokenizer   (about 30 s; set DTE_BENCH_RUNS to change the repetitions)

import { hasSharedModel, sharedModel } from '@dte/testkit';
import { getLlama } from 'node-llama-cpp';
import { readGguf } from '../src/gguf/readGguf.ts';
import { Tokenizer } from '../src/tokenizer/Tokenizer.ts';
import { randomCorpus } from '../src/tokenizer/testing/corpus.ts';
import { vocabGguf } from '../src/tokenizer/testing/vocabFixtures.ts';

const RUNS = Number(process.env.DTE_BENCH_RUNS ?? 7);
const SIZE = 100_000;
const story =
  'Once upon a time, there was a little girl named Lily. She loved to play outside in the park with her friends. ';
const texts: Record<string, string> = {
  english: story.repeat(Math.ceil(SIZE / story.length)).slice(0, SIZE),
  mixed: randomCorpus(7, 5000).join('').slice(0, SIZE),
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function time(fn: () => unknown): number {
  const ts: number[] = [];
  fn(); // warm-up (fills caches, JIT)
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

const models: Array<[string, string, boolean]> = [
  ['llama-spm', vocabGguf('llama-spm'), true],
  ['llama-bpe', vocabGguf('llama-bpe'), true],
  ['qwen2', vocabGguf('qwen2'), true],
  ['gpt-2', vocabGguf('gpt-2'), true],
];
if (hasSharedModel()) models.push(['stories260K', sharedModel('stories260K.gguf'), false]);

const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'disabled' as never });
const rows: Array<Record<string, string | number | boolean>> = [];
for (const [name, path, vocabOnly] of models) {
  const ours = Tokenizer.fromGguf(readGguf(path));
  const model = await llama.loadModel({ modelPath: path, vocabOnly });
  for (const [kind, text] of Object.entries(texts)) {
    const same =
      JSON.stringify(ours.encode(text, { addBos: false })) === JSON.stringify(Array.from(model.tokenize(text)));
    const tokens = ours.encode(text, { addBos: false }).length;
    const oursMs = time(() => ours.encode(text, { addBos: false }));
    const llamaMs = time(() => model.tokenize(text));
    rows.push({
      vocab: name,
      text: kind,
      kB: text.length / 1000,
      tokens,
      oursMs,
      llamaMs,
      ratio: oursMs / llamaMs,
      same,
    });
  }
  await model.dispose();
}
await llama.dispose();

const cols = ['vocab', 'text', 'kB', 'tokens', 'oursMs', 'llamaMs', 'ratio', 'same'];
const fmt = (v: string | number | boolean) =>
  typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : String(v);
const table = [cols, ...rows.map((r) => cols.map((c) => fmt(r[c]!)))];
const widths = cols.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
console.log(
  `Tokenizer encode, median of ${RUNS} runs (ms); ratio = ours / llama.cpp (node-llama-cpp), same = identical ids`,
);
for (const r of table) console.log(r.map((c, i) => c.padStart(widths[i]!)).join('  '));
console.log(JSON.stringify({ bench: 'tokenizer', runs: RUNS, rows }));
