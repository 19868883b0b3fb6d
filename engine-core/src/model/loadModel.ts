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
  /**
   * Where the forward runs: `'cpu'` (default; the native C++ kernels), `'cuda'` (the native CUDA
   * backend; throws `DTE_ERR_MODEL_BACKEND_UNAVAILABLE` with the reason where it cannot run), `'auto'`
   * (CUDA when a device is usable, else the CPU), or `'reference'` (the slow f32 TypeScript forward).
   * `'native'` is the old name of `'cpu'`.
   */
  backend?: LoadBackend;
  /** CUDA device index (default 0). */
  device?: number;
  /**
   * On CUDA, when neither `numBlocks` nor `kvCacheBytes` is given, the KV cache takes this share of the
   * device's free memory after the weights (vLLM's `gpu_memory_utilization`; default 0.9).
   */
  gpuMemoryUtilization?: number;
}

/** What {@link LoadModelOptions.backend} accepts. */
export type LoadBackend = 'cpu' | 'cuda' | 'auto' | 'reference' | 'native';
/** The backends a loaded model can be on. */
export type ModelBackend = 'cpu' | 'cuda' | 'reference';
const LOAD_BACKENDS: readonly string[] = ['cpu', 'cuda', 'auto', 'reference', 'native'];

/** A model ready to run: parsed file, configuration, weights, tokenizer and executor. */
export interface LoadedModel {
  file: GgufFile;
  config: LlamaConfig;
  weights: LlamaWeights;
  tokenizer: Tokenizer;
  /** The GGUF's `tokenizer.chat_template`, when it has one. */
  chatTemplate?: ChatTemplate;
  model: LoadedExecutor;
  /** The backend the model runs on (`auto` resolved). */
  backend: ModelBackend;
}

type NativeCtor = new (
  config: LlamaConfig,
  weights: LlamaWeights,
  options: { backend: 'cpu' | 'cuda' | 'auto'; device?: number },
) => LoadedExecutor & { readonly backend: 'cpu' | 'cuda' };

/** Bytes of KV cache per block: keys and values of every layer (4-byte f32 or 2-byte f16 elements). */
export function kvBytesPerBlock(
  config: Pick<LlamaConfig, 'nLayer' | 'nHeadKv' | 'headDim'>,
  blockSize: number,
  kvCacheType: 'f32' | 'f16' = 'f32',
): number {
  return 2 * config.nLayer * blockSize * config.nHeadKv * config.headDim * (kvCacheType === 'f16' ? 2 : 4);
}

/**
 * KV blocks a device holds: `utilization` of its free memory, less the weights, in blocks of
 * `bytesPerBlock`, and no more slots than an int32 slot index addresses. 0 when not one block fits.
 */
export function deviceKvBlocks(
  freeBytes: number,
  weightBytes: number,
  bytesPerBlock: number,
  blockSize: number,
  utilization = 0.9,
): number {
  const room = freeBytes * utilization - weightBytes;
  if (!(room >= bytesPerBlock)) return 0;
  return Math.min(Math.floor(room / bytesPerBlock), Math.floor((2 ** 31 - 1) / blockSize));
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
  const asked = options.backend ?? 'cpu';
  if (!LOAD_BACKENDS.includes(asked))
    throw badOpt(`backend must be cpu, cuda, auto or reference, got ${String(asked)}`);
  const backend = asked === 'native' ? 'cpu' : asked;
  if (options.device !== undefined && (!Number.isSafeInteger(options.device) || options.device < 0)) {
    throw badOpt('device must be a non-negative integer');
  }
  const utilization = options.gpuMemoryUtilization ?? 0.9;
  if (!(utilization > 0 && utilization <= 1)) throw badOpt('gpuMemoryUtilization must be in (0, 1]');
  const file = typeof pathOrFile === 'string' ? readGguf(pathOrFile) : pathOrFile;
  const probe = readLlamaConfig(file, { blockSize, numBlocks: 1 });
  // Where a native model goes (auto resolved now: the cache is sized for it).
  const native = backend === 'reference' ? undefined : await nativeModule();
  const target = native === undefined || backend === 'reference' ? 'reference' : resolveNative(native, backend);
  let numBlocks = options.numBlocks;
  if (numBlocks === undefined && options.kvCacheBytes === undefined && target === 'cuda' && native !== undefined) {
    const device = native.cudaInfo().devices[options.device ?? 0];
    if (device === undefined) throw unavailable(`no CUDA device ${options.device ?? 0}`);
    const weightBytes = file.tensors.reduce((sum, t) => sum + t.nBytes, 0);
    numBlocks = deviceKvBlocks(
      device.freeMemory,
      weightBytes,
      kvBytesPerBlock(probe, blockSize, kvCacheType),
      blockSize,
      utilization,
    );
    if (numBlocks < 1) {
      throw unavailable(
        `${device.name} has ${device.freeMemory} bytes free: not enough for ${weightBytes} bytes of weights and a KV block`,
      );
    }
  }
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
  let model: LoadedExecutor;
  let placed: ModelBackend = 'reference';
  if (native === undefined || target === 'reference') {
    model = new ReferenceModel(config, weights);
  } else {
    const created = new native.LlamaModel(config, weights, {
      backend: target,
      ...(options.device !== undefined ? { device: options.device } : {}),
    });
    model = created;
    placed = created.backend;
  }
  const loaded: LoadedModel = { file, config, weights, tokenizer, model, backend: placed };
  if (typeof file.metadata.get('tokenizer.chat_template') === 'string')
    loaded.chatTemplate = ChatTemplate.fromGguf(file);
  return loaded;
}

/** The parts of `@dte/native` loadModel uses. */
interface NativeModule {
  LlamaModel: NativeCtor;
  resolveBackend(name: 'cpu' | 'cuda' | 'auto'): 'cpu' | 'cuda';
  cudaInfo(): { devices: { name: string; freeMemory: number }[] };
}

function unavailable(message: string, cause?: unknown): EngineError {
  return new EngineError(
    'DTE_ERR_MODEL_BACKEND_UNAVAILABLE',
    `loadModel: ${message}`,
    cause === undefined ? undefined : { cause },
  );
}

async function nativeModule(): Promise<NativeModule> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import('@dte/native')) as Record<string, unknown>;
  } catch (err) {
    throw unavailable('@dte/native failed to load', err);
  }
  if (typeof mod.LlamaModel !== 'function' || typeof mod.resolveBackend !== 'function') {
    throw unavailable('@dte/native has no LlamaModel (use backend: reference)');
  }
  return mod as unknown as NativeModule;
}

/** auto → cuda or cpu; cuda where it cannot run → DTE_ERR_MODEL_BACKEND_UNAVAILABLE with the reason. */
function resolveNative(native: NativeModule, backend: 'cpu' | 'cuda' | 'auto'): 'cpu' | 'cuda' {
  try {
    return native.resolveBackend(backend);
  } catch (err) {
    throw unavailable((err as Error).message, err);
  }
}
