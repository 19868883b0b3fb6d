import { EngineError } from '../EngineError.ts';
import type { LoadedModel } from './loadModel.ts';
import { SeededRng } from './SeededRng.ts';
import { singleSequenceBatch } from './singleSequenceBatch.ts';

/** Options of {@link generate}. */
export interface GenerateOptions {
  prompt: string;
  maxTokens: number;
  /** 0 (default): greedy (argmax); > 0: sample from softmax(logits / temperature). */
  temperature?: number;
  seed?: number;
  /** Called with each token's text as soon as it is complete UTF-8. */
  onText?: (text: string) => void;
}

/** What {@link generate} returns. */
export interface GenerateResult {
  text: string;
  tokens: number[];
  promptTokens: number[];
  finishReason: 'stop' | 'length';
}

/**
 * Generates a continuation of one prompt with the model's own KV cache (a trivial block table,
 * blocks 0, 1, 2, ...): one prefill step, then one decode step per token, until an end-of-generation
 * token or `maxTokens`. Greedy at temperature 0, seeded sampling otherwise. The serving engine
 * (`engine/`) is the multi-sequence path; this is for the CLI, tests and benchmarks.
 * @example const { text } = await generate(await loadModel('m.gguf'), { prompt: 'Once', maxTokens: 32 })
 */
export async function generate(loaded: LoadedModel, options: GenerateOptions): Promise<GenerateResult> {
  const { model, tokenizer, config } = loaded;
  const temperature = options.temperature ?? 0;
  const bad = (msg: string) => new EngineError('DTE_ERR_MODEL_BAD_OPTIONS', `generate: ${msg}`);
  if (!Number.isSafeInteger(options.maxTokens) || options.maxTokens < 0) throw bad('maxTokens must be an integer >= 0');
  if (!(temperature >= 0) || !Number.isFinite(temperature)) throw bad('temperature must be a finite number >= 0');
  const promptTokens = tokenizer.encode(options.prompt);
  if (promptTokens.length === 0) throw bad('the prompt encodes to no tokens');
  const capacity = config.numBlocks * config.blockSize;
  if (promptTokens.length + options.maxTokens > capacity) {
    throw new EngineError(
      'DTE_ERR_MODEL_CONTEXT_FULL',
      `generate: ${promptTokens.length} prompt + ${options.maxTokens} new tokens exceed the KV cache (${capacity} tokens)`,
    );
  }
  const rng = new SeededRng(options.seed ?? 0);
  const stream = tokenizer.createStreamDecoder();
  // Prime with the prompt so the continuation decodes in context, as the serving engine does: the text
  // is what was generated (e.g. SPM's leading space of the first new token is kept).
  for (const t of promptTokens) stream.push(t);
  const tokens: number[] = [];
  let text = '';
  let finishReason: GenerateResult['finishReason'] = 'length';
  let pos = 0;
  let input = promptTokens;
  for (let step = 0; step < options.maxTokens; step++) {
    const logits = await model.forward(singleSequenceBatch(input, pos, config.numBlocks));
    pos += input.length;
    const next = temperature === 0 ? argmax(logits) : sample(logits, temperature, rng);
    if (tokenizer.isEog(next)) {
      finishReason = 'stop';
      break;
    }
    tokens.push(next);
    const piece = stream.push(next);
    if (piece) {
      text += piece;
      options.onText?.(piece);
    }
    input = [next];
  }
  const rest = stream.flush();
  if (rest) {
    text += rest;
    options.onText?.(rest);
  }
  return { text, tokens, promptTokens, finishReason };
}

function argmax(x: Float32Array): number {
  let best = 0;
  for (let j = 1; j < x.length; j++) if (x[j]! > x[best]!) best = j;
  return best;
}

function sample(logits: Float32Array, temperature: number, rng: SeededRng): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of logits) if (v > max) max = v;
  const p = new Float64Array(logits.length);
  let sum = 0;
  for (let j = 0; j < logits.length; j++) {
    p[j] = Math.exp((logits[j]! - max) / temperature);
    sum += p[j]!;
  }
  let u = rng.next() * sum;
  for (let j = 0; j < p.length; j++) {
    u -= p[j]!;
    if (u <= 0) return j;
  }
  return p.length - 1;
}
