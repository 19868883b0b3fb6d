export {
  type BackendName,
  cudaInfo,
  cudaLibraryPath,
  type ResolvedBackend,
  resolveBackend,
} from './backend.ts';
export type {
  CpuInfo,
  CudaDevice,
  CudaProbe,
  IsaName,
  KernelBinding,
  MemBandwidthResult,
  NativeBinding,
  RopeOptions,
  TrainBinding,
} from './bindingTypes.ts';
export { GGML_BLOCK, GGML_TYPE, type GgmlTypeId, ggmlRowBytes } from './ggmlType.ts';
export {
  addBias,
  argmax,
  cpuInfo,
  dequantize,
  getNumThreads,
  getRows,
  matmul,
  memBandwidth,
  quantizeRow,
  rmsNorm,
  rope,
  selectedIsaPaths,
  setIsa,
  setNumThreads,
  siluMul,
  softmax,
} from './kernels.ts';
export {
  type ForwardBatch,
  type LlamaConfig,
  type LlamaLayerWeights,
  LlamaModel,
  type LlamaModelOptions,
  type LlamaWeights,
  type NativeWeight,
} from './LlamaModel.ts';
export { applyForcedIsa, bindingCandidates, forcedIsa, loadBinding, loadBindingFrom } from './loadBinding.ts';
export type { PagedAttentionArgs } from './modelBinding.ts';
export { type BindingAttempt, NativeError } from './NativeError.ts';
export { NATIVE_ERROR_CODES, type NativeErrorCode } from './nativeErrorCodes.ts';
export { pagedAttention } from './pagedAttention.ts';
export {
  type AttentionTrainShape,
  attentionTrainBackward,
  attentionTrainForward,
  crossEntropy,
  gemmF32,
  rmsNormBackward,
  siluMulBackward,
} from './trainKernels.ts';
