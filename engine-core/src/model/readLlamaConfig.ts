import { EngineError } from '../EngineError.ts';
import type { GgufFile } from '../gguf/GgufFile.ts';
import type { LlamaConfig } from './LlamaTypes.ts';

const ARCHS = ['llama', 'mistral', 'qwen2', 'qwen3'] as const;

/** Paged KV geometry chosen by the caller (see `loadModel`). */
export interface KvGeometry {
  blockSize: number;
  numBlocks: number;
}

function num(file: GgufFile, key: string, fallback?: number): number {
  const v = file.metadata.get(key);
  if (v === undefined) {
    if (fallback !== undefined) return fallback;
    throw new EngineError('DTE_ERR_MODEL_BAD_HPARAMS', `readLlamaConfig: missing metadata key ${key}`);
  }
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  // Some converters store per-layer arrays (e.g. head_count_kv); a uniform array is accepted.
  if (ArrayBuffer.isView(v) && !(v instanceof DataView) && (v as ArrayLike<number>).length > 0) {
    const arr = Array.from(v as ArrayLike<number | bigint>, Number);
    if (arr.every((x) => x === arr[0])) return arr[0]!;
  }
  throw new EngineError('DTE_ERR_MODEL_BAD_HPARAMS', `readLlamaConfig: ${key} is not a number`);
}

function positiveInt(key: string, v: number): number {
  if (!Number.isSafeInteger(v) || v <= 0) {
    throw new EngineError('DTE_ERR_MODEL_BAD_HPARAMS', `readLlamaConfig: ${key} must be a positive integer, got ${v}`);
  }
  return v;
}

/**
 * Reads a Llama-family configuration from GGUF metadata (`general.architecture` and the
 * `<arch>.*` keys llama.cpp uses). Rope layout follows llama.cpp: llama/mistral rotate adjacent
 * pairs, qwen2/qwen3 rotate halves (neox). Throws `DTE_ERR_MODEL_UNSUPPORTED_ARCH` or
 * `DTE_ERR_MODEL_BAD_HPARAMS`.
 * @example const config = readLlamaConfig(readGguf('m.gguf'), { blockSize: 16, numBlocks: 64 })
 */
export function readLlamaConfig(file: GgufFile, kv: KvGeometry): LlamaConfig {
  const arch = file.metadata.get('general.architecture');
  if (typeof arch !== 'string' || !(ARCHS as readonly string[]).includes(arch)) {
    throw new EngineError(
      'DTE_ERR_MODEL_UNSUPPORTED_ARCH',
      `readLlamaConfig: architecture ${String(arch)} is not one of ${ARCHS.join(', ')}`,
    );
  }
  const a = arch as LlamaConfig['arch'];
  const nEmbd = positiveInt(`${a}.embedding_length`, num(file, `${a}.embedding_length`));
  const nLayer = positiveInt(`${a}.block_count`, num(file, `${a}.block_count`));
  const nHead = positiveInt(`${a}.attention.head_count`, num(file, `${a}.attention.head_count`));
  const nHeadKv = positiveInt(`${a}.attention.head_count_kv`, num(file, `${a}.attention.head_count_kv`, nHead));
  const nFf = positiveInt(`${a}.feed_forward_length`, num(file, `${a}.feed_forward_length`));
  if (nHead % nHeadKv !== 0) {
    throw new EngineError(
      'DTE_ERR_MODEL_BAD_HPARAMS',
      `readLlamaConfig: head_count ${nHead} % head_count_kv ${nHeadKv} != 0`,
    );
  }
  const headDim = positiveInt(`${a}.attention.key_length`, num(file, `${a}.attention.key_length`, nEmbd / nHead));
  const valueDim = num(file, `${a}.attention.value_length`, headDim);
  const nRot = num(file, `${a}.rope.dimension_count`, headDim);
  if (valueDim !== headDim || nRot !== headDim) {
    throw new EngineError(
      'DTE_ERR_MODEL_BAD_HPARAMS',
      `readLlamaConfig: value_length ${valueDim} and rope.dimension_count ${nRot} must equal key_length ${headDim}`,
    );
  }
  const normEps = num(file, `${a}.attention.layer_norm_rms_epsilon`, 1e-5);
  const ropeFreqBase = num(file, `${a}.rope.freq_base`, 10000);
  if (!(normEps > 0) || !(ropeFreqBase > 0)) {
    throw new EngineError('DTE_ERR_MODEL_BAD_HPARAMS', 'readLlamaConfig: rms epsilon and rope.freq_base must be > 0');
  }
  const nCtxTrain = num(file, `${a}.context_length`, 2048);
  const scalingType = file.metadata.get(`${a}.rope.scaling.type`) ?? 'none';
  let factor = num(file, `${a}.rope.scaling.factor`, 1);
  const legacyScale = file.metadata.get(`${a}.rope.scale_linear`);
  if (typeof legacyScale === 'number' && scalingType === 'none' && legacyScale !== 1) factor = legacyScale;
  const origCtx = num(file, `${a}.rope.scaling.original_context_length`, nCtxTrain);
  let type: LlamaConfig['ropeScaling']['type'];
  if (scalingType === 'none' && factor === 1) type = 'none';
  else if (scalingType === 'linear' || (scalingType === 'none' && factor !== 1)) type = 'linear';
  else if (scalingType === 'yarn') type = 'yarn';
  else
    throw new EngineError(
      'DTE_ERR_MODEL_BAD_HPARAMS',
      `readLlamaConfig: unsupported rope scaling ${String(scalingType)}`,
    );
  if (!(factor > 0))
    throw new EngineError('DTE_ERR_MODEL_BAD_HPARAMS', `readLlamaConfig: rope scaling factor ${factor}`);
  const ropeScaling: LlamaConfig['ropeScaling'] = { type, factor, origCtx };
  if (type === 'yarn') {
    ropeScaling.extFactor = 1;
    ropeScaling.attnFactor = num(file, `${a}.rope.scaling.attn_factor`, 1);
    ropeScaling.betaFast = num(file, `${a}.rope.scaling.yarn_beta_fast`, 32);
    ropeScaling.betaSlow = num(file, `${a}.rope.scaling.yarn_beta_slow`, 1);
  }
  const nVocab = vocabSize(file);
  positiveInt('blockSize', kv.blockSize);
  positiveInt('numBlocks', kv.numBlocks);
  return {
    arch: a,
    nVocab,
    nEmbd,
    nLayer,
    nHead,
    nHeadKv,
    headDim,
    nFf,
    normEps,
    ropeFreqBase,
    ropeNeox: a === 'qwen2' || a === 'qwen3',
    ropeScaling,
    blockSize: kv.blockSize,
    numBlocks: kv.numBlocks,
  };
}

function vocabSize(file: GgufFile): number {
  const emb = file.tensor('token_embd.weight');
  if (emb && emb.dims.length === 2) return emb.dims[1]!;
  const tokens = file.metadata.get('tokenizer.ggml.tokens');
  if (Array.isArray(tokens) && tokens.length > 0) return tokens.length;
  throw new EngineError('DTE_ERR_MODEL_MISSING_TENSOR', 'readLlamaConfig: no token_embd.weight to size the vocabulary');
}
