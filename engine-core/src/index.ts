export { ENGINE_ERRORS, EngineError, type EngineErrorCode } from './EngineError.ts';
export { dequantize } from './gguf/dequantize.ts';
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
export { bf16ToFloat, floatToBf16, floatToHalf, halfToFloat } from './gguf/half.ts';
export { readGguf } from './gguf/readGguf.ts';
