import { EngineError } from '../EngineError.ts';
import { isSupportedGgmlType } from '../gguf/GGML_TYPE.ts';
import type { GgufFile } from '../gguf/GgufFile.ts';
import type { LlamaConfig, LlamaLayerWeights, LlamaWeights, NativeWeight } from './LlamaTypes.ts';

/**
 * Maps GGUF tensors (llama.cpp names: `token_embd.weight`, `blk.N.attn_q.weight`, ...) onto
 * {@link LlamaWeights}, checking every shape against `config`. Views are zero-copy. `output.weight`
 * is optional (tied embeddings); `attn_{q,k,v}.bias` and `attn_{q,k}_norm` are taken when present.
 * Throws `DTE_ERR_MODEL_MISSING_TENSOR`, `DTE_ERR_MODEL_BAD_SHAPE` or `DTE_ERR_MODEL_UNSUPPORTED_TYPE`.
 * @example const weights = mapLlamaWeights(file, readLlamaConfig(file, kv))
 */
export function mapLlamaWeights(file: GgufFile, config: LlamaConfig): LlamaWeights {
  const { nEmbd, nVocab, nHead, nHeadKv, headDim, nFf } = config;
  const get = (name: string, dims: number[], optional = false): NativeWeight | undefined => {
    const t = file.tensor(name);
    if (!t) {
      if (optional) return undefined;
      throw new EngineError('DTE_ERR_MODEL_MISSING_TENSOR', `mapLlamaWeights: tensor ${name} is missing`);
    }
    if (!isSupportedGgmlType(t.type)) {
      throw new EngineError(
        'DTE_ERR_MODEL_UNSUPPORTED_TYPE',
        `mapLlamaWeights: ${name} has unsupported ggml type ${t.type}`,
      );
    }
    const shape = t.dims.slice();
    while (shape.length > dims.length && shape[shape.length - 1] === 1) shape.pop();
    if (shape.length !== dims.length || shape.some((d, i) => d !== dims[i])) {
      throw new EngineError(
        'DTE_ERR_MODEL_BAD_SHAPE',
        `mapLlamaWeights: ${name} has shape [${t.dims.join(', ')}], expected [${dims.join(', ')}]`,
      );
    }
    return { type: t.type, dims: shape, data: t.data };
  };
  const req = (name: string, dims: number[]) => get(name, dims)!;
  const qDim = nHead * headDim;
  const kvDim = nHeadKv * headDim;
  const layers: LlamaLayerWeights[] = [];
  for (let i = 0; i < config.nLayer; i++) {
    const p = `blk.${i}.`;
    const layer: LlamaLayerWeights = {
      attnNorm: req(`${p}attn_norm.weight`, [nEmbd]),
      wq: req(`${p}attn_q.weight`, [nEmbd, qDim]),
      wk: req(`${p}attn_k.weight`, [nEmbd, kvDim]),
      wv: req(`${p}attn_v.weight`, [nEmbd, kvDim]),
      wo: req(`${p}attn_output.weight`, [qDim, nEmbd]),
      ffnNorm: req(`${p}ffn_norm.weight`, [nEmbd]),
      ffnGate: req(`${p}ffn_gate.weight`, [nEmbd, nFf]),
      ffnUp: req(`${p}ffn_up.weight`, [nEmbd, nFf]),
      ffnDown: req(`${p}ffn_down.weight`, [nFf, nEmbd]),
    };
    const bq = get(`${p}attn_q.bias`, [qDim], true);
    const bk = get(`${p}attn_k.bias`, [kvDim], true);
    const bv = get(`${p}attn_v.bias`, [kvDim], true);
    const qNorm = get(`${p}attn_q_norm.weight`, [headDim], true);
    const kNorm = get(`${p}attn_k_norm.weight`, [headDim], true);
    if (bq) layer.bq = bq;
    if (bk) layer.bk = bk;
    if (bv) layer.bv = bv;
    if (qNorm) layer.qNorm = qNorm;
    if (kNorm) layer.kNorm = kNorm;
    if (config.arch === 'qwen3' && (!qNorm || !kNorm)) {
      throw new EngineError('DTE_ERR_MODEL_MISSING_TENSOR', `mapLlamaWeights: qwen3 needs ${p}attn_q_norm/attn_k_norm`);
    }
    if (config.arch === 'qwen2' && (!bq || !bk || !bv)) {
      throw new EngineError('DTE_ERR_MODEL_MISSING_TENSOR', `mapLlamaWeights: qwen2 needs ${p}attn_{q,k,v}.bias`);
    }
    for (const [w, name] of [
      [layer.attnNorm, 'attn_norm'],
      [layer.ffnNorm, 'ffn_norm'],
      [bq, 'attn_q.bias'],
      [bk, 'attn_k.bias'],
      [bv, 'attn_v.bias'],
      [qNorm, 'attn_q_norm'],
      [kNorm, 'attn_k_norm'],
    ] as const) {
      if (w && w.type !== 0) {
        throw new EngineError('DTE_ERR_MODEL_UNSUPPORTED_TYPE', `mapLlamaWeights: ${p}${name} must be F32`);
      }
    }
    layers.push(layer);
  }
  const weights: LlamaWeights = {
    tokenEmbd: req('token_embd.weight', [nEmbd, nVocab]),
    outputNorm: req('output_norm.weight', [nEmbd]),
    layers,
  };
  if (weights.outputNorm.type !== 0) {
    throw new EngineError('DTE_ERR_MODEL_UNSUPPORTED_TYPE', 'mapLlamaWeights: output_norm.weight must be F32');
  }
  const output = get('output.weight', [nEmbd, nVocab], true);
  if (output) weights.output = output;
  // Llama 3.1+ scale RoPE per frequency with a shared `rope_freqs.weight` (llama.cpp applies it to q and k).
  const ropeFreqs = get('rope_freqs.weight', [config.headDim / 2], true);
  if (ropeFreqs) {
    if (ropeFreqs.type !== 0)
      throw new EngineError('DTE_ERR_MODEL_UNSUPPORTED_TYPE', 'mapLlamaWeights: rope_freqs.weight must be F32');
    weights.ropeFreqs = ropeFreqs;
  }
  return weights;
}
