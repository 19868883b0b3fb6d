import { basename } from 'node:path';
import {
  type AsyncEngine,
  ChatTemplate,
  createEngine,
  type LoadBackend,
  type LoadedModel,
  loadModel,
  type SchedulingPolicy,
  type Tokenizer,
} from '@dte/engine-core';

/** What the HTTP routes serve: one model with its engine, tokenizer and chat template. */
export interface ServedModel {
  /** Model id clients pass as `model` (the file name without `.gguf` by default). */
  id: string;
  engine: AsyncEngine;
  tokenizer: Tokenizer;
  chatTemplate: ChatTemplate;
  /** Longest sequence (prompt + output) a request may use. */
  maxModelLen: number;
  /** Unix seconds the model was loaded (the `created` of `/v1/models`). */
  created: number;
  /** Frees the engine and the model's memory. */
  close(): Promise<void>;
}

/** Options of {@link loadServedModel}. */
export interface LoadServedModelOptions {
  /** Model id; default: the file name without `.gguf`. */
  id?: string;
  backend?: LoadBackend;
  /** KV cache size in bytes; default: the model's training context (≤ 4096 tokens). */
  kvCacheBytes?: number;
  maxNumSeqs?: number;
  policy?: SchedulingPolicy;
  seed?: number;
  /** Longest sequence; default: the model's training context, capped by the KV cache. */
  maxModelLen?: number;
  /** Loading progress, e.g. for logs: `('reading', …)`, `('ready', …)`. */
  onProgress?: (stage: 'reading' | 'engine' | 'ready', detail: Record<string, unknown>) => void;
}

/**
 * Wraps an already loaded model (`loadModel`'s result) as a {@link ServedModel}.
 * @example const served = servedModelOf(await loadModel('m.gguf', { backend: 'reference' }), { id: 'm' })
 */
export function servedModelOf(
  loaded: LoadedModel,
  options: Omit<LoadServedModelOptions, 'kvCacheBytes' | 'backend'> & { id: string },
): ServedModel {
  const { maxModelLen, maxNumSeqs, policy, seed } = options;
  const engine = createEngine(loaded, { maxModelLen, maxNumSeqs, policy, seed });
  return {
    id: options.id,
    engine,
    tokenizer: loaded.tokenizer,
    chatTemplate: ChatTemplate.fromGguf(loaded.file),
    maxModelLen: engine.maxModelLen,
    created: Math.floor(Date.now() / 1000),
    async close() {
      await engine.close();
      loaded.model.dispose();
    },
  };
}

/**
 * Loads a GGUF model and builds its serving engine.
 * @example const served = await loadServedModel('stories260K.gguf', { backend: 'reference', kvCacheBytes: 8 << 20 })
 */
export async function loadServedModel(path: string, options: LoadServedModelOptions = {}): Promise<ServedModel> {
  const id = options.id ?? basename(path).replace(/\.gguf$/i, '');
  options.onProgress?.('reading', { path, backend: options.backend ?? 'cpu' });
  const loaded = await loadModel(path, {
    ...(options.kvCacheBytes !== undefined ? { kvCacheBytes: options.kvCacheBytes } : {}),
    ...(options.backend !== undefined ? { backend: options.backend } : {}),
  });
  options.onProgress?.('engine', {
    arch: loaded.config.arch,
    nLayer: loaded.config.nLayer,
    nVocab: loaded.config.nVocab,
    numBlocks: loaded.config.numBlocks,
    blockSize: loaded.config.blockSize,
    kvCacheBytes: loaded.model.kvCacheBytes,
  });
  const served = servedModelOf(loaded, { ...options, id });
  options.onProgress?.('ready', { id, maxModelLen: served.maxModelLen });
  return served;
}
