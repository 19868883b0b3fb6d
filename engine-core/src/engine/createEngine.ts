import type { ModelExecutor } from '../model/LlamaTypes.ts';
import { AsyncEngine } from './AsyncEngine.ts';
import type { EngineTokenizer } from './EngineTokenizer.ts';
import { LlmEngine, type LlmEngineOptions } from './LlmEngine.ts';

/** What {@link createEngine} reads of a loaded model (`loadModel`'s result is one). */
export interface EngineModel {
  model: ModelExecutor;
  tokenizer: EngineTokenizer;
  config: { arch: string; nVocab: number; numBlocks: number; blockSize: number };
  /** The model file, for its trained context (`<arch>.context_length`). */
  file?: { metadata: ReadonlyMap<string, unknown> };
}

/**
 * Options of {@link createEngine}: scheduling, prefix caching, the longest sequence, the seed. The
 * executor, tokenizer, vocabulary and KV geometry always come from the model.
 */
export type CreateEngineOptions = Partial<
  Omit<LlmEngineOptions, 'executor' | 'tokenizer' | 'numBlocks' | 'blockSize' | 'vocabSize'>
>;

/**
 * The one way to build a serving engine: over a loaded model (`loadModel`'s result), with the model's
 * executor, tokenizer, vocabulary (`nVocab`) and KV geometry (`numBlocks` × `blockSize`), so these
 * defaults cannot drift between callers. A sequence (prompt + output) is bounded by the trained context
 * unless `maxModelLen` says otherwise, and always by the KV cache.
 * @example const engine = createEngine(await loadModel('m.gguf', { kvCacheBytes: 256 << 20 }), { policy: 'priority', seed: 1 });
 */
export function createEngine(loaded: EngineModel, options: CreateEngineOptions = {}): AsyncEngine {
  const { config } = loaded;
  const capacity = config.numBlocks * config.blockSize;
  const ctx = loaded.file?.metadata.get(`${config.arch}.context_length`);
  const trained = typeof ctx === 'number' && ctx > 0 ? ctx : capacity;
  const core = new LlmEngine({
    ...options,
    maxModelLen: Math.min(options.maxModelLen ?? trained, capacity),
    executor: loaded.model,
    tokenizer: loaded.tokenizer,
    numBlocks: config.numBlocks,
    blockSize: config.blockSize,
    vocabSize: config.nVocab,
  });
  return new AsyncEngine(core);
}
