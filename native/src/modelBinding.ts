import type { ForwardBatch, LlamaConfig, LlamaWeights } from './LlamaModel.ts';
import { loadBinding } from './loadBinding.ts';
import { NativeError } from './NativeError.ts';

/** The native LlamaModel object, as C++ exports it (src/model/llama_model_binding.cc). */
export interface NativeLlamaModel {
  forward(batch: ForwardBatch): Promise<Float32Array>;
  forwardSync(batch: ForwardBatch): Float32Array;
  readonly kvCacheBytes: number;
  dispose(): void;
}

/** Arguments of the bare paged-attention kernel (tests and benchmarks). */
export interface PagedAttentionArgs {
  /** [T][nHead][headDim] */
  q: Float32Array;
  /** [T][nHeadKv][headDim], written into the caches at slotMapping first. */
  k: Float32Array;
  v: Float32Array;
  /** [numBlocks][blockSize][nHeadKv][headDim] each, updated in place. */
  kCache: Float32Array;
  vCache: Float32Array;
  numBlocks: number;
  blockSize: number;
  nHead: number;
  nHeadKv: number;
  headDim: number;
  positions: Int32Array;
  seqStarts: Int32Array;
  contextLens: Int32Array;
  blockTables: Int32Array;
  maxBlocksPerSeq: number;
  slotMapping: Int32Array;
}

/** The model part of the addon. */
export interface ModelBinding {
  /** `config` may add `backend` ('cpu' | 'cuda'), `cudaLibrary` (path) and `device` (index). */
  LlamaModel: new (
    config: LlamaConfig & { backend?: 'cpu' | 'cuda'; cudaLibrary?: string; device?: number },
    weights: LlamaWeights,
  ) => NativeLlamaModel;
  /** Writes k/v into the caches, then returns causal paged attention [T][nHead][headDim]. */
  pagedAttention(args: PagedAttentionArgs): Float32Array;
}

let cached: ModelBinding | undefined;

/** The addon's model exports, checked once (a stale build fails with DTE_ERR_NATIVE_BINDING_SHAPE). */
export function modelBinding(): ModelBinding {
  if (cached !== undefined) return cached;
  const raw = loadBinding() as unknown as Record<string, unknown>;
  const missing = ['LlamaModel', 'pagedAttention'].filter((name) => typeof raw[name] !== 'function');
  if (missing.length > 0) {
    throw new NativeError(
      'DTE_ERR_NATIVE_BINDING_SHAPE',
      `the addon lacks ${missing.join(', ')} (rebuild with \`npm run build -w native\`)`,
    );
  }
  cached = raw as unknown as ModelBinding;
  return cached;
}
