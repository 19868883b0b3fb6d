/** Every error code thrown by `@dte/native` (keys equal their values; a test checks it). */
export const NATIVE_ERROR_CODES = {
  /** The compiled addon could not be loaded from any candidate path. */
  DTE_ERR_NATIVE_LOAD: 'DTE_ERR_NATIVE_LOAD',
  /** The addon loaded but lacks functions this package needs (stale build). */
  DTE_ERR_NATIVE_BINDING_SHAPE: 'DTE_ERR_NATIVE_BINDING_SHAPE',
  /** A native op got an argument of the wrong type, size or range (thrown as a `TypeError`). */
  DTE_ERR_NATIVE_BAD_ARGUMENT: 'DTE_ERR_NATIVE_BAD_ARGUMENT',
  /** `setIsa` asked for an instruction set this CPU lacks. */
  DTE_ERR_NATIVE_ISA_UNAVAILABLE: 'DTE_ERR_NATIVE_ISA_UNAVAILABLE',
  /** A ForwardBatch field has the wrong type or length, or seqStarts are not increasing offsets. */
  DTE_ERR_NATIVE_BATCH_SHAPE: 'DTE_ERR_NATIVE_BATCH_SHAPE',
  /** A token, position, context length or logits index is out of range. */
  DTE_ERR_NATIVE_BATCH_RANGE: 'DTE_ERR_NATIVE_BATCH_RANGE',
  /** A block table entry in use is not a block id below numBlocks. */
  DTE_ERR_NATIVE_BATCH_BLOCK: 'DTE_ERR_NATIVE_BATCH_BLOCK',
  /** A slot is out of range or disagrees with the block table at the token's position. */
  DTE_ERR_NATIVE_BATCH_SLOT: 'DTE_ERR_NATIVE_BATCH_SLOT',
  /** LlamaModel got an invalid config (arch, sizes, rope, nHead not a multiple of nHeadKv, ...). */
  DTE_ERR_NATIVE_MODEL_CONFIG: 'DTE_ERR_NATIVE_MODEL_CONFIG',
  /** A weight is missing or has the wrong type, dims or byte length for the config. */
  DTE_ERR_NATIVE_MODEL_WEIGHT: 'DTE_ERR_NATIVE_MODEL_WEIGHT',
  /** forwardSync was called while an async forward of the same model is in flight. */
  DTE_ERR_NATIVE_MODEL_BUSY: 'DTE_ERR_NATIVE_MODEL_BUSY',
  /** The model was disposed. */
  DTE_ERR_NATIVE_MODEL_DISPOSED: 'DTE_ERR_NATIVE_MODEL_DISPOSED',
  /** The KV cache or scratch buffers could not be allocated (use fewer blocks). */
  DTE_ERR_NATIVE_OUT_OF_MEMORY: 'DTE_ERR_NATIVE_OUT_OF_MEMORY',
  /** A forward failed inside the native code for another reason (the message says why). */
  DTE_ERR_NATIVE_FORWARD_FAILED: 'DTE_ERR_NATIVE_FORWARD_FAILED',
  /** The backend asked for cannot run here: the CUDA library is not built, or there is no driver or device. */
  DTE_ERR_NATIVE_BACKEND_UNAVAILABLE: 'DTE_ERR_NATIVE_BACKEND_UNAVAILABLE',
  /** A backend name other than cpu, cuda or auto. */
  DTE_ERR_NATIVE_BACKEND_UNKNOWN: 'DTE_ERR_NATIVE_BACKEND_UNKNOWN',
} as const;

/** A `@dte/native` error code. */
export type NativeErrorCode = keyof typeof NATIVE_ERROR_CODES;
