export { CHATML_TEMPLATE, type ChatRenderOptions, ChatTemplate, type ChatTemplateSpec } from './chat/ChatTemplate.ts';
export { type ChatMessage, type ChatTextPart, normalizeMessages } from './chat/normalizeMessages.ts';
export { type ConvertLlama2cOptions, convertLlama2c } from './convert/convertLlama2c.ts';
export { type Llama2cCheckpoint, type Llama2cConfig, readLlama2cCheckpoint } from './convert/readLlama2cCheckpoint.ts';
export { type Llama2cToken, readLlama2cTokenizer } from './convert/readLlama2cTokenizer.ts';
export { ENGINE_ERRORS, EngineError, type EngineErrorCode } from './EngineError.ts';
export { AsyncEngine, type AsyncGenerateRequest } from './engine/AsyncEngine.ts';
export { BlockManager, type BlockManagerOptions, type CachedPrefix } from './engine/BlockManager.ts';
export { type CreateEngineOptions, createEngine, type EngineModel } from './engine/createEngine.ts';
export type { EngineTokenizer, TokenStreamDecoder } from './engine/EngineTokenizer.ts';
export { hashBlockTokens, ROOT_BLOCK_HASH } from './engine/hashBlockTokens.ts';
export { LatencyStats, type LatencySummary } from './engine/LatencyStats.ts';
export type {
  EngineMetrics,
  GenerateRequest,
  GenerationDelta,
  LlmEngineOptions,
  Usage,
} from './engine/LlmEngine.ts';
export { ModelRunner, type PreparedBatch } from './engine/ModelRunner.ts';
export { type SampleResult, Sampler, type TokenLogprob } from './engine/Sampler.ts';
export { DEFAULT_SAMPLING_PARAMS, resolveSamplingParams, type SamplingParams } from './engine/SamplingParams.ts';
export { Scheduler, type SchedulerOptions, type SchedulerOutput, type SchedulingPolicy } from './engine/Scheduler.ts';
export { SeededRng } from './engine/SeededRng.ts';
export { type FinishReason, Sequence, type SequenceStatus } from './engine/Sequence.ts';
export { type StopMatch, StopStringMatcher } from './engine/StopStringMatcher.ts';
export type { TokenConstraint } from './engine/TokenConstraint.ts';
export { dequantize } from './gguf/dequantize.ts';
export { describeGguf, type GgufSummary, type GgufTypeTotals } from './gguf/describeGguf.ts';
export {
  GGML_TYPE,
  GGML_TYPE_INFO,
  type GgmlType,
  type GgmlTypeInfo,
  ggmlTypeName,
  isSupportedGgmlType,
} from './gguf/GGML_TYPE.ts';
export {
  GGUF_TYPE,
  type GgufArrayType,
  type GgufMetadataType,
  type GgufScalarType,
  ggufTypeName,
} from './gguf/GGUF_TYPE.ts';
export { GgufError } from './gguf/GgufError.ts';
export { GgufFile, type GgufTensor, type GgufValue } from './gguf/GgufFile.ts';
export {
  getNumber,
  getOptionalBoolean,
  getOptionalNumber,
  getOptionalNumberArray,
  getOptionalString,
  getString,
  getStringArray,
} from './gguf/ggufMetadata.ts';
export { bf16ToFloat, floatToBf16, floatToHalf, halfToFloat } from './gguf/half.ts';
export { quantize } from './gguf/quantize.ts';
export { readGguf } from './gguf/readGguf.ts';
export { type GgufHeader, type GgufTensorInfo, readGgufHeader } from './gguf/readGgufHeader.ts';
export { type GgufMetadataSpec, type GgufSpec, type GgufTensorSpec, ggufSpecOf, writeGguf } from './gguf/writeGguf.ts';
export type {
  ForwardBatch,
  LlamaConfig,
  LlamaLayerWeights,
  LlamaWeights,
  ModelExecutor,
  NativeWeight,
} from './model/LlamaTypes.ts';
export {
  type LoadBackend,
  type LoadedExecutor,
  type LoadedModel,
  type LoadModelOptions,
  loadModel,
  type ModelBackend,
} from './model/loadModel.ts';
export { mapLlamaWeights } from './model/mapLlamaWeights.ts';
export { maxAbsDiff } from './model/maxAbsDiff.ts';
export { ReferenceModel } from './model/ReferenceModel.ts';
export { type KvGeometry, readLlamaConfig } from './model/readLlamaConfig.ts';
export {
  type ActivationScheme,
  GGML_VEC_DOT_SCHEME,
  NATIVE_ACTIVATION_SCHEME,
  roundActivations,
} from './model/roundActivations.ts';
export { singleSequenceBatch } from './model/singleSequenceBatch.ts';
export {
  ANY_NODE,
  compileSchema,
  FREE_OBJECT_NODE,
  type SchemaNode,
  type SchemaProperty,
  TOOL_CALL_HEAD,
  TOOL_CALL_MID,
  toolCallNode,
} from './structured/compileSchema.ts';
export {
  canEndJson,
  initialJsonState,
  isJsonDone,
  type JsonState,
  jsonStateKey,
  stepJson,
} from './structured/JsonAutomaton.ts';
export { JsonConstraint, type JsonConstraintStats } from './structured/JsonConstraint.ts';
export { type ConstraintTokenizer, TokenTrie } from './structured/TokenTrie.ts';
export { validateJson } from './structured/validateJson.ts';
export { SYNTH_PRESETS, type SynthDims } from './synth/SYNTH_PRESETS.ts';
export {
  type Llama3RopeScaling,
  llama3RopeFreqs,
  resolveGgmlType,
  resolveSynthDims,
  type SynthSpec,
  synthesizeModel,
} from './synth/synthesizeModel.ts';
export { compileStep, type PreTokenizerStep, splitWords, splitWordsByRegexes } from './tokenizer/preTokenize.ts';
export {
  type PreTokenizerKind,
  type PreTokenizerSpec,
  preTokenizerFor,
  supportedPreNames,
} from './tokenizer/preTokenizerFor.ts';
export { StreamDecoder } from './tokenizer/StreamDecoder.ts';
export { SPECIAL_ATTRS, TOKEN_ATTR, tokenTypeToAttr } from './tokenizer/TOKEN_ATTR.ts';
export { type DecodeOptions, type EncodeOptions, Tokenizer } from './tokenizer/Tokenizer.ts';
export { readTokenizerVocab, type TokenizerVocab } from './tokenizer/TokenizerVocab.ts';
