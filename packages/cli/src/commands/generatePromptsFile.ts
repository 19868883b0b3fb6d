import { readFileSync } from 'node:fs';
import { createEngine, type GenerationDelta, type LoadBackend, loadModel, type SamplingParams } from '@dte/engine-core';
import { CliError } from '../CliError.ts';
import type { CommandIo } from '../Command.ts';

/** Options of {@link generatePromptsFile}. */
export interface PromptsFileOptions {
  model: string;
  promptsFile: string;
  backend: LoadBackend;
  /** Defaults for lines that do not set them. */
  maxTokens: number;
  temperature: number;
  seed?: number;
  /** KV cache budget in MiB. Default 256. */
  kvCacheMb?: number;
  maxNumSeqs?: number;
  maxNumBatchedTokens?: number;
  io: CommandIo;
}

// JSONL field (OpenAI snake_case or camelCase) → SamplingParams key.
const FIELDS: Record<string, keyof SamplingParams> = {
  n: 'n',
  temperature: 'temperature',
  top_k: 'topK',
  top_p: 'topP',
  min_p: 'minP',
  presence_penalty: 'presencePenalty',
  frequency_penalty: 'frequencyPenalty',
  repetition_penalty: 'repetitionPenalty',
  logit_bias: 'logitBias',
  seed: 'seed',
  stop: 'stop',
  stop_token_ids: 'stopTokenIds',
  min_tokens: 'minTokens',
  ignore_eos: 'ignoreEos',
  max_tokens: 'maxTokens',
  logprobs: 'logprobs',
  top_logprobs: 'topLogprobs',
  allowed_token_ids: 'allowedTokenIds',
};
for (const v of Object.values(FIELDS)) FIELDS[v] = v;

interface PromptLine {
  prompt: string;
  priority: number | undefined;
  sampling: Partial<SamplingParams>;
}

/** Parses a prompts JSONL file: one object per line with `prompt` and optional sampling fields. */
export function parsePromptsFile(text: string, defaults: Partial<SamplingParams>): PromptLine[] {
  const out: PromptLine[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      throw new CliError('DTE_ERR_CLI_USAGE', `--prompts-file line ${i + 1}: not valid JSON`);
    }
    if (typeof obj !== 'object' || obj === null || typeof (obj as { prompt?: unknown }).prompt !== 'string') {
      throw new CliError('DTE_ERR_CLI_USAGE', `--prompts-file line ${i + 1}: needs a string "prompt"`);
    }
    const sampling: Record<string, unknown> = { ...defaults };
    let priority: number | undefined;
    for (const [k, v] of Object.entries(obj)) {
      if (k === 'prompt') continue;
      if (k === 'priority') {
        if (typeof v !== 'number')
          throw new CliError('DTE_ERR_CLI_USAGE', `--prompts-file line ${i + 1}: bad priority`);
        priority = v;
        continue;
      }
      const key = FIELDS[k];
      if (key === undefined)
        throw new CliError('DTE_ERR_CLI_USAGE', `--prompts-file line ${i + 1}: unknown field ${k}`);
      sampling[key] = key === 'stop' && typeof v === 'string' ? [v] : v;
    }
    out.push({ prompt: (obj as { prompt: string }).prompt, priority, sampling: sampling as Partial<SamplingParams> });
  });
  if (out.length === 0) throw new CliError('DTE_ERR_CLI_USAGE', '--prompts-file has no prompts');
  return out;
}

/**
 * `dte generate --prompts-file FILE`: runs every prompt concurrently through one batched engine and
 * prints one JSON line per prompt, in input order: `{ index, text, finish_reason, usage }` (plus
 * `choices` when `n` > 1). A summary goes to stderr.
 */
export async function generatePromptsFile(o: PromptsFileOptions): Promise<number> {
  let text: string;
  try {
    text = readFileSync(o.promptsFile, 'utf8');
  } catch {
    throw new CliError('DTE_ERR_CLI_USAGE', `--prompts-file ${o.promptsFile} cannot be read`);
  }
  const defaults: Partial<SamplingParams> = { maxTokens: o.maxTokens, temperature: o.temperature };
  if (o.seed !== undefined) defaults.seed = o.seed;
  const lines = parsePromptsFile(text, defaults);
  const t0 = performance.now();
  const loaded = await loadModel(o.model, { backend: o.backend, kvCacheBytes: (o.kvCacheMb ?? 256) * 1024 * 1024 });
  const engine = createEngine(loaded, {
    maxNumSeqs: o.maxNumSeqs ?? 64,
    maxNumBatchedTokens: o.maxNumBatchedTokens ?? 512,
    seed: o.seed ?? 0,
  });
  try {
    const t1 = performance.now();
    // Validate every line before any generation starts (typed errors, nothing half-done).
    const streams = lines.map((l) => engine.collect({ prompt: l.prompt, sampling: l.sampling, priority: l.priority }));
    let next = 0;
    const done: (string | undefined)[] = new Array(lines.length).fill(undefined);
    let numTokens = 0;
    await Promise.all(
      streams.map(async (p, index) => {
        const deltas = await p;
        numTokens += deltas.reduce((a, d) => a + d.tokenIds.length, 0);
        done[index] = JSON.stringify(resultLine(index, deltas));
        while (next < done.length && done[next] !== undefined) o.io.stdout.write(`${done[next++]}\n`);
      }),
    );
    const t2 = performance.now();
    const m = engine.metrics();
    o.io.stderr.write(
      `dte generate: ${lines.length} prompts (${loaded.backend}) loaded in ${(t1 - t0).toFixed(0)} ms; ${numTokens} tokens in ` +
        `${(t2 - t1).toFixed(0)} ms (${((numTokens * 1000) / Math.max(t2 - t1, 1e-3)).toFixed(1)} tok/s), ` +
        `${m.numPreemptions} preemptions, prefix hit rate ${(m.prefixCacheHitRate * 100).toFixed(1)}%\n`,
    );
  } finally {
    await engine.close();
    (loaded.model as { dispose?: () => void }).dispose?.();
  }
  return 0;
}

function resultLine(index: number, deltas: readonly GenerationDelta[]) {
  const samples = new Map<number, { text: string; finish_reason: string | null; usage?: unknown }>();
  for (const d of deltas) {
    const s = samples.get(d.index) ?? { text: '', finish_reason: null };
    s.text += d.text;
    if (d.finishReason !== null) {
      s.finish_reason = d.finishReason;
      s.usage = d.usage && {
        prompt_tokens: d.usage.promptTokens,
        completion_tokens: d.usage.completionTokens,
        total_tokens: d.usage.totalTokens,
      };
    }
    samples.set(d.index, s);
  }
  const first = samples.get(0) ?? { text: '', finish_reason: 'abort' };
  const line: Record<string, unknown> = {
    index,
    text: first.text,
    finish_reason: first.finish_reason,
    usage: first.usage,
  };
  if (samples.size > 1) line.choices = [...samples.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s);
  return line;
}
