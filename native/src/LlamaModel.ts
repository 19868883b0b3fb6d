import { asNativeError } from './asNativeError.ts';
import { type BackendName, cudaLibraryPath, type ResolvedBackend, resolveBackend } from './backend.ts';
import { modelBinding, type NativeLlamaModel } from './modelBinding.ts';

/** Hyper-parameters of a Llama-family decoder (llama, mistral, qwen2, qwen3) and its paged KV cache. */
export interface LlamaConfig {
  arch: 'llama' | 'mistral' | 'qwen2' | 'qwen3';
  nVocab: number;
  nEmbd: number;
  nLayer: number;
  nHead: number;
  nHeadKv: number;
  headDim: number;
  nFf: number;
  normEps: number;
  ropeFreqBase: number;
  /** true: NeoX rotation (pairs i, i + headDim/2; qwen2/qwen3); false: adjacent pairs (llama/mistral). */
  ropeNeox: boolean;
  ropeScaling: {
    type: 'none' | 'linear' | 'yarn';
    factor: number;
    origCtx: number;
    extFactor?: number;
    attnFactor?: number;
    betaFast?: number;
    betaSlow?: number;
  };
  /** Tokens per KV block. */
  blockSize: number;
  /** KV blocks per layer; the cache holds numBlocks × blockSize tokens. */
  numBlocks: number;
  /**
   * K/V cache element type: 'f32' (default) or 'f16' (half the memory; K after RoPE and V are rounded to
   * half, queries and probabilities stay f32, where llama.cpp also rounds them: ~5e-4 apart in probabilities).
   */
  kvCacheType?: 'f32' | 'f16';
}

/** Where a {@link LlamaModel} runs. */
export interface LlamaModelOptions {
  /** `cpu` (default), `cuda`, or `auto` (CUDA when a device is usable, else the CPU). */
  backend?: BackendName;
  /** CUDA device index (default 0). */
  device?: number;
}

/** A weight tensor: ggml type id, dims with ne0 (row length) first, bytes in ggml layout (zero-copy). */
export interface NativeWeight {
  type: number;
  dims: number[];
  data: Uint8Array;
}

/** One decoder layer; biases for qwen2, qNorm/kNorm (over headDim) for qwen3. */
export interface LlamaLayerWeights {
  attnNorm: NativeWeight;
  wq: NativeWeight;
  wk: NativeWeight;
  wv: NativeWeight;
  wo: NativeWeight;
  bq?: NativeWeight;
  bk?: NativeWeight;
  bv?: NativeWeight;
  qNorm?: NativeWeight;
  kNorm?: NativeWeight;
  ffnNorm: NativeWeight;
  ffnGate: NativeWeight;
  ffnUp: NativeWeight;
  ffnDown: NativeWeight;
}

/** All weights of a model; `output` absent means tied to `tokenEmbd`. */
export interface LlamaWeights {
  tokenEmbd: NativeWeight;
  outputNorm: NativeWeight;
  output?: NativeWeight;
  /** F32 [headDim / 2]: per-pair divisors of the RoPE angles (GGUF `rope_freqs.weight`, Llama 3.1+). */
  ropeFreqs?: NativeWeight;
  layers: LlamaLayerWeights[];
}

/** One engine step: variable-length sequences (prefill chunks and decodes) flattened into one batch. */
export interface ForwardBatch {
  /** [T] tokens of all sequences, sequence after sequence. */
  tokens: Int32Array;
  /** [T] absolute position of each token in its sequence. */
  positions: Int32Array;
  /** [S+1] offsets of each sequence's tokens in `tokens`. */
  seqStarts: Int32Array;
  /** [S] tokens in the KV cache for each sequence once this step is written. */
  contextLens: Int32Array;
  /** [S*maxBlocksPerSeq] physical block ids per sequence, -1 padded. */
  blockTables: Int32Array;
  maxBlocksPerSeq: number;
  /** [T] KV slot (block*blockSize + offset) where each token's K/V is written. */
  slotMapping: Int32Array;
  /** [R] indices into `tokens` whose outputs are returned. */
  logitsIndices: Int32Array;
  /** true: return final-norm hidden states [R*nEmbd] instead of logits [R*nVocab]. */
  wantHidden?: boolean;
}

/**
 * A Llama-family decoder running on the native kernels (CPU, or CUDA when asked) over a paged KV cache.
 * `forward` computes on native threads (the JS event loop keeps running); forwards of one model run
 * one at a time in call order. Bad input throws (or rejects with) a `NativeError` whose `code` is
 * `DTE_ERR_NATIVE_BATCH_*` / `DTE_ERR_NATIVE_MODEL_*`; the batch is copied before `forward` returns.
 *
 * Math follows llama.cpp (RMSNorm with eps inside the root, ggml rope_f32, f32 K/V cache, scale 1/√headDim):
 * on stories260K.gguf the logits match llama.cpp's within 1e-4 and the next-token probabilities within 2e-6
 * (asserted by engine-core's NativeModel.parity.test.ts) when llama.cpp runs with `flashAttention: false` and
 * an F32 KV cache (its defaults, flash attention and an F16 cache, differ by ~1e-3).
 *
 * @example
 * const model = new LlamaModel(config, weights);
 * const logits = await model.forward(batch); // [logitsIndices.length * nVocab]
 * model.dispose();
 */
export class LlamaModel {
  readonly config: LlamaConfig;
  /** The backend the forward runs on. */
  readonly backend: ResolvedBackend;
  private readonly native: NativeLlamaModel;

  /**
   * Uploads the weights (CUDA) and allocates the KV cache on `options.backend`. Throws
   * `DTE_ERR_NATIVE_BACKEND_UNAVAILABLE` when `cuda` cannot run here (no library, driver or device).
   */
  constructor(config: LlamaConfig, weights: LlamaWeights, options: LlamaModelOptions = {}) {
    this.config = config;
    try {
      this.backend = resolveBackend(options.backend ?? 'cpu');
      const placed =
        this.backend === 'cuda'
          ? { ...config, backend: 'cuda' as const, cudaLibrary: cudaLibraryPath(), device: options.device ?? 0 }
          : config;
      this.native = new (modelBinding().LlamaModel)(placed, weights);
    } catch (err) {
      throw asNativeError(err);
    }
  }

  /** Runs one step off the JS thread; resolves with logits (or hidden rows) for `logitsIndices`. */
  forward(batch: ForwardBatch): Promise<Float32Array> {
    return this.native.forward(batch).catch((err: unknown) => {
      throw asNativeError(err);
    });
  }

  /** Runs one step on the calling thread (tests, tools); throws DTE_ERR_NATIVE_MODEL_BUSY during a forward. */
  forwardSync(batch: ForwardBatch): Float32Array {
    try {
      return this.native.forwardSync(batch);
    } catch (err) {
      throw asNativeError(err);
    }
  }

  /** Bytes held by the K and V caches of all layers (0 once disposed). */
  get kvCacheBytes(): number {
    return this.native.kvCacheBytes;
  }

  /** Frees the KV cache (after the forward in flight); later forwards reject with DTE_ERR_NATIVE_MODEL_DISPOSED. */
  dispose(): void {
    this.native.dispose();
  }
}
