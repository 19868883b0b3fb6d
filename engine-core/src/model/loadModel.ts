import { ChatTemplate } from '../chat/ChatTemplate.ts';
import { EngineError } from '../EngineError.ts';
import type { GgufFile } from '../gguf/GgufFile.ts';
import { readGguf } from '../gguf/readGguf.ts';
import { Tokenizer } from '../tokenizer/Tokenizer.ts';
import type { ForwardBatch, LlamaConfig, LlamaWeights, ModelExecutor } from './LlamaTypes.ts';
import { mapLlamaWeights } from './mapLlamaWeights.ts';
import { ReferenceModel } from './ReferenceModel.ts';
import { readLlamaConfig } from './readLlamaConfig.ts';

/** The executor surface `loadModel` returns (the native `LlamaModel` or the TypeScript reference). */
export interface LoadedExecutor extends ModelExecutor {
  forwardSync(batch: ForwardBatch): Float32Array;
  readonly kvCacheBytes: number;
  dispose(): void;
}

/** Options of {@link loadModel}. KV capacity: `numBlocks`, else `kvCacheBytes`, else the training context (≤ 4096 tokens). */
export interface LoadModelOptions {
  numBlocks?: number;
  kvCacheBytes?: number;
  blockSize?: number;
  /** K/V element type: `'f32'` (default) or `'f16'` (half the memory, llama.cpp's default cache type). */
  kvCacheType?: 'f32' | 'f16';
  /** `'native'` (default): the C++ model from `@dte/native`; `'reference'`: the slow f32 TypeScript forward. */
  backend?: 'native' | 'reference';
}

/** A model ready to run: parsed file, configuration, weights, tokenizer and executor. */
export interface LoadedModel {
  file: GgufFile;
  config: LlamaConfig;
  weights: LlamaWeights;
  tokenizer: Tokenizer;
  /** The GGUF's `tokenizer.chat_template`, when it has one. */
  chatTemplate?: ChatTemplate;
  model: LoadedExecutor;
  backend: 'native' | 'reference';
}

type NativeCtor = new (config: LlamaConfig, weights: LlamaWeights) => LoadedExecutor;

/** Bytes of KV cache per block: keys and values of every layer (4-byte f32 or 2-byte f16 elements). */
export function kvBytesPerBlock(
  config: Pick<LlamaConfig, 'nLayer' | 'nHeadKv' | 'headDim'>,
  blockSize: number,
  kvCacheType: 'f32' | 'f16' = 'f32',
): number {
  return 2 * config.nLayer * blockSize * config.nHeadKv * config.headDim * (kvCacheType === 'f16' ? 2 : 4);
}

/**
 * Loads a Llama-family GGUF (llama, mistral, qwen2, qwen3) for inference: reads hyper-parameters,
 * maps the weights zero-copy, builds the tokenizer and an executor with a paged KV cache of
 * `numBlocks` blocks of `blockSize` tokens. Throws typed `DTE_ERR_GGUF_*`/`DTE_ERR_MODEL_*` errors.
 * @example const { model, tokenizer, config } = await loadModel('m.gguf', { kvCacheBytes: 64 << 20 })
 */
export async function loadModel(pathOrFile: string | GgufFile, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const blockSize = options.blockSize ?? 16;
  const badOpt = (msg: string) => new EngineError('DTE_ERR_MODEL_BAD_OPTIONS', `loadModel: ${msg}`);
  if (!Number.isSafeInteger(blockSize) || blockSize < 1 || blockSize > 1024) throw badOpt('blockSize must be 1..1024');
  if (options.numBlocks !== undefined && (!Number.isSafeInteger(options.numBlocks) || options.numBlocks < 1)) {
    throw badOpt('numBlocks must be a positive integer');
  }
  if (options.kvCacheBytes !== undefined && !(options.kvCacheBytes > 0)) throw badOpt('kvCacheBytes must be > 0');
  const kvCacheType = options.kvCacheType ?? 'f32';
  if (kvCacheType !== 'f32' && kvCacheType !== 'f16') throw badOpt(`kvCacheType must be f32 or f16`);
  const backend = options.backend ?? 'native';
  if (backend !== 'native' && backend !== 'reference') throw badOpt(`unknown backend ${String(backend)}`);
  const file = typeof pathOrFile === 'string' ? readGguf(pathOrFile) : pathOrFile;
  const probe = readLlamaConfig(file, { blockSize, numBlocks: 1 });
  let numBlocks = options.numBlocks;
  if (numBlocks === undefined && options.kvCacheBytes !== undefined) {
    numBlocks = Math.floor(options.kvCacheBytes / kvBytesPerBlock(probe, blockSize, kvCacheType));
    if (numBlocks < 1) throw badOpt(`kvCacheBytes ${options.kvCacheBytes} holds less than one block`);
  }
  if (numBlocks === undefined) {
    const ctx = file.metadata.get(`${probe.arch}.context_length`);
    numBlocks = Math.ceil(Math.min(typeof ctx === 'number' ? ctx : 2048, 4096) / blockSize);
  }
  const config: LlamaConfig = { ...probe, numBlocks, kvCacheType };
  const weights = mapLlamaWeights(file, config);
  const tokenizer = Tokenizer.fromGguf(file);
  const model =
    backend === 'native' ? new (await nativeModelClass())(config, weights) : new ReferenceModel(config, weights);
  const loaded: LoadedModel = { file, config, weights, tokenizer, model, backend };
  if (typeof file.metadata.get('tokenizer.chat_template') === 'string')
    loaded.chatTemplate = ChatTemplate.fromGguf(file);
  return loaded;
}

async function nativeModelClass(): Promise<NativeCtor> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import('@dte/native')) as Record<string, unknown>;
  } catch (err) {
    throw new EngineError('DTE_ERR_MODEL_BACKEND_UNAVAILABLE', 'loadModel: @dte/native failed to load', { cause: err });
  }
  const ctor = mod.LlamaModel;
  if (typeof ctor !== 'function') {
    throw new EngineError(
      'DTE_ERR_MODEL_BACKEND_UNAVAILABLE',
      'loadModel: @dte/native has no LlamaModel (use backend: reference)',
    );
  }
  return ctor as NativeCtor;
}
