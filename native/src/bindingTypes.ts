import { NativeError } from './NativeError.ts';

/** Features of the running CPU and the kernel path in use. */
export interface CpuInfo {
  /** The instruction set the kernels use now. */
  isa: IsaName;
  /** Paths this CPU can run. */
  available: IsaName[];
  features: {
    avx: boolean;
    avx2: boolean;
    fma: boolean;
    f16c: boolean;
    avx512f: boolean;
    avx512bw: boolean;
    avx512vl: boolean;
    /** CPUID reports AMX-TILE and AMX-INT8. */
    amxInt8: boolean;
    /** The OS granted this process the AMX tile state. */
    amxOs: boolean;
  };
  /** Threads in the kernel pool (the calling thread included). */
  threads: number;
  hardwareThreads: number;
}

/**
 * A kernel path: portable C++, AVX2 + FMA + F16C, or that plus Intel AMX int8 tile GEMMs for quantized
 * mat-mat (prefill and large batches of Q8_0 / Q4_K weights).
 */
export type IsaName = 'generic' | 'avx2' | 'amx';

/** Rotary embedding parameters (llama.cpp semantics; omitted fields take llama.cpp's defaults). */
export interface RopeOptions {
  /** Rotated dimensions per head (even, ≤ headDim); default headDim. */
  nRot?: number;
  freqBase?: number;
  /** Linear scaling: positions are multiplied by this (1 / factor). Default 1. */
  freqScale?: number;
  /** NeoX layout (pairs i, i + nRot/2) instead of adjacent pairs. */
  neox?: boolean;
  /** YaRN: original training context (needed when extFactor ≠ 0). */
  nCtxOrig?: number;
  extFactor?: number;
  attnFactor?: number;
  betaFast?: number;
  betaSlow?: number;
  /** Divisors of each rotated pair's angle (nRot / 2 values, > 0): Llama 3's `rope_freqs`. */
  freqFactors?: Float32Array;
}

/** Result of the streaming-read probe. */
export interface MemBandwidthResult {
  gbPerSec: number;
  bytes: number;
  seconds: number;
  threads: number;
  checksum: number;
}

/** The kernel functions of the addon, exactly as C++ exports them (src/bindings/kernels_binding.cc). */
export interface KernelBinding {
  version(): string;
  matmul(type: number, weights: Uint8Array, k: number, n: number, x: Float32Array, m: number): Float32Array;
  rmsNorm(x: Float32Array, w: Float32Array | null, m: number, n: number, eps: number): Float32Array;
  rope(x: Float32Array, pos: Int32Array, m: number, nHeads: number, headDim: number, params: RopeOptions): Float32Array;
  siluMul(gate: Float32Array, up: Float32Array): Float32Array;
  addBias(x: Float32Array, b: Float32Array, m: number, n: number): Float32Array;
  getRows(type: number, table: Uint8Array, k: number, nRows: number, ids: Int32Array): Float32Array;
  softmax(x: Float32Array, m: number, n: number): Float32Array;
  argmax(x: Float32Array): number;
  dequantize(type: number, data: Uint8Array, nElements: number): Float32Array;
  quantizeRow(type: number, x: Float32Array): Uint8Array;
  setNumThreads(n: number): number;
  getNumThreads(): number;
  cpuInfo(): CpuInfo;
  setIsa(isa: IsaName): IsaName;
  memBandwidth(bytes: number, reps: number): MemBandwidthResult;
  cudaProbe(library: string): CudaProbe;
}

/** One CUDA device as the runtime reports it. */
export interface CudaDevice {
  index: number;
  name: string;
  /** "9.0" for an H100/H200. */
  computeCapability: string;
  smCount: number;
  totalMemory: number;
  freeMemory: number;
  /** Peak DRAM bandwidth in bytes/s (memory clock × bus width × 2), 0 when unknown. */
  peakBandwidth: number;
}

/**
 * What the CUDA library can do here. `built`: libdte_cuda.so exists and opened with the addon's ABI.
 * `reason` (empty when there are devices) says why not: "not built: …", "no driver (…)", "no device (…)".
 */
export interface CudaProbe {
  built: boolean;
  library: string;
  devices: CudaDevice[];
  reason: string;
}

/**
 * The training kernels, exactly as C++ exports them (src/bindings/train_binding.cc). Outputs are
 * caller-allocated; "accumulates" means added to.
 */
export interface TrainBinding {
  attentionTrainForward(
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    out: Float32Array,
    probs: Float32Array,
    numSeqs: number,
    seqLen: number,
    nHead: number,
    nHeadKv: number,
    headDim: number,
  ): void;
  attentionTrainBackward(
    dOut: Float32Array,
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    probs: Float32Array,
    dq: Float32Array,
    dk: Float32Array,
    dv: Float32Array,
    numSeqs: number,
    seqLen: number,
    nHead: number,
    nHeadKv: number,
    headDim: number,
  ): void;
  gemmF32(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    accumulate: boolean,
  ): void;
  rmsNormBackward(
    dy: Float32Array,
    x: Float32Array,
    w: Float32Array,
    m: number,
    n: number,
    eps: number,
    dx: Float32Array,
    dw: Float32Array,
  ): void;
  siluMulBackward(
    dOut: Float32Array,
    gate: Float32Array,
    up: Float32Array,
    dGate: Float32Array,
    dUp: Float32Array,
  ): void;
  crossEntropy(logits: Float32Array, targets: Int32Array, m: number, v: number, dLogits: Float32Array): number;
}

/** Everything the addon exports that this package relies on. */
export type NativeBinding = KernelBinding & TrainBinding;

const KERNEL_FUNCTIONS: readonly (keyof KernelBinding)[] = [
  'version',
  'matmul',
  'rmsNorm',
  'rope',
  'siluMul',
  'addBias',
  'getRows',
  'softmax',
  'argmax',
  'dequantize',
  'quantizeRow',
  'setNumThreads',
  'getNumThreads',
  'cpuInfo',
  'setIsa',
  'memBandwidth',
  'cudaProbe',
];

const TRAIN_FUNCTIONS: readonly (keyof TrainBinding)[] = [
  'attentionTrainForward',
  'attentionTrainBackward',
  'gemmF32',
  'rmsNormBackward',
  'siluMulBackward',
  'crossEntropy',
];

/**
 * The one place the addon's untyped exports become typed: checks every expected function is present
 * (a stale build fails here with `DTE_ERR_NATIVE_BINDING_SHAPE`, not later with "x is not a function").
 */
export function narrowBinding(raw: unknown, path: string): NativeBinding {
  if (typeof raw !== 'object' || raw === null) {
    throw new NativeError('DTE_ERR_NATIVE_BINDING_SHAPE', `${path} did not export an object`);
  }
  const obj = raw as Record<string, unknown>;
  const missing = [...KERNEL_FUNCTIONS, ...TRAIN_FUNCTIONS].filter((name) => typeof obj[name] !== 'function');
  if (missing.length > 0) {
    throw new NativeError(
      'DTE_ERR_NATIVE_BINDING_SHAPE',
      `${path} lacks ${missing.join(', ')} (rebuild with \`npm run build -w native\`)`,
    );
  }
  return raw as NativeBinding;
}
