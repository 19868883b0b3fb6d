/**
 * The model surface shared with `@dte/native` (contracts.md): configuration, zero-copy weights and the
 * paged forward batch. Declared here structurally so that the TypeScript reference model and the
 * loader compile whether or not the native addon is built; the native `LlamaModel` accepts the same shapes.
 */

/** Hyper-parameters of a Llama-family decoder plus the paged KV cache geometry. */
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
  blockSize: number;
  numBlocks: number;
}

/** One weight tensor: ggml type id, shape (ne0 first) and a zero-copy view of its bytes. */
export interface NativeWeight {
  type: number;
  dims: number[];
  data: Uint8Array;
}

/** The weights of one decoder block. Biases exist for qwen2, q/k norms for qwen3. */
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

/** All weights; `output` absent means the output projection is tied to `tokenEmbd`. */
export interface LlamaWeights {
  tokenEmbd: NativeWeight;
  outputNorm: NativeWeight;
  output?: NativeWeight;
  layers: LlamaLayerWeights[];
}

/** One forward step over several sequences (see contracts.md for each field). */
export interface ForwardBatch {
  tokens: Int32Array;
  positions: Int32Array;
  seqStarts: Int32Array;
  contextLens: Int32Array;
  blockTables: Int32Array;
  maxBlocksPerSeq: number;
  slotMapping: Int32Array;
  logitsIndices: Int32Array;
  wantHidden?: boolean;
}

/** What the serving engine needs from a model: one paged forward step. */
export interface ModelExecutor {
  forward(batch: ForwardBatch): Promise<Float32Array>;
}
