import { EngineError } from '../EngineError.ts';
import { SeededRng } from '../engine/SeededRng.ts';
import { GGML_TYPE, GGML_TYPE_INFO, isSupportedGgmlType } from '../gguf/GGML_TYPE.ts';
import { GGUF_TYPE } from '../gguf/GGUF_TYPE.ts';
import type { GgufFile } from '../gguf/GgufFile.ts';
import { quantize } from '../gguf/quantize.ts';
import { type GgufMetadataSpec, type GgufTensorSpec, writeGguf } from '../gguf/writeGguf.ts';
import { SYNTH_PRESETS, type SynthDims } from './SYNTH_PRESETS.ts';
import { spmVocabulary } from './spmVocabulary.ts';

/** What `synthesizeModel` builds. */
export interface SynthSpec {
  arch: 'llama' | 'qwen2' | 'qwen3';
  /** A preset name from {@link SYNTH_PRESETS} (`'tiny'`, `'110M'`, ...); `dims` override its fields. */
  params?: string;
  dims?: Partial<SynthDims>;
  /** ggml type id or name (`'Q8_0'`) of every 2-D weight; 1-D norms and biases stay F32. */
  type: number | string;
  seed?: number;
  /** Copy the tokenizer (`tokenizer.*` metadata) from this vocab GGUF; its token count sets nVocab. */
  vocab?: GgufFile;
  ropeFreqBase?: number;
  /**
   * Writes `rope_freqs.weight` (headDim / 2 positive per-pair divisors of the RoPE angles, as Llama 3.1+
   * GGUFs carry; see {@link llama3RopeFreqs}). llama only.
   */
  ropeFreqs?: ArrayLike<number>;
}

/** Llama 3.1's RoPE frequency scaling (as `rope_scaling.rope_type: llama3`). */
export interface Llama3RopeScaling {
  factor?: number;
  lowFreqFactor?: number;
  highFreqFactor?: number;
  originalContext?: number;
}

/**
 * The per-pair divisors Llama 3.1 checkpoints store as `rope_freqs.weight`: 1 for high frequencies,
 * `factor` for wavelengths beyond `originalContext / lowFreqFactor`, a smooth blend in between.
 * @example llama3RopeFreqs(128, 500000) // [1, 1, …, 8, 8]
 */
export function llama3RopeFreqs(headDim: number, base: number, s: Llama3RopeScaling = {}): Float32Array {
  const factor = s.factor ?? 8;
  const low = s.lowFreqFactor ?? 1;
  const high = s.highFreqFactor ?? 4;
  const ctx = s.originalContext ?? 8192;
  const out = new Float32Array(headDim / 2);
  for (let i = 0; i < headDim / 2; i++) {
    const wavelen = (2 * Math.PI) / base ** ((-2 * i) / headDim);
    if (wavelen < ctx / high) out[i] = 1;
    else if (wavelen > ctx / low) out[i] = factor;
    else {
      const smooth = (ctx / wavelen - low) / (high - low);
      out[i] = 1 / ((1 - smooth) / factor + smooth);
    }
  }
  return out;
}

function bad(msg: string): never {
  throw new EngineError('DTE_ERR_SYNTH_BAD_SPEC', `synthesizeModel: ${msg}`);
}

/** Resolves a type name or id to a supported ggml type id. */
export function resolveGgmlType(type: number | string): number {
  const id =
    typeof type === 'number' ? type : ((GGML_TYPE as Record<string, number>)[type.toUpperCase()] ?? Number.NaN);
  if (!isSupportedGgmlType(id)) bad(`unsupported weight type ${String(type)} (F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K)`);
  return id;
}

/** The dimensions a spec resolves to (preset, overrides, vocabulary size of a copied tokenizer). */
export function resolveSynthDims(spec: SynthSpec): SynthDims {
  if (spec.params !== undefined && !(spec.params in SYNTH_PRESETS)) {
    bad(`unknown params preset ${spec.params} (one of ${Object.keys(SYNTH_PRESETS).join(', ')})`);
  }
  const dims: SynthDims = { ...SYNTH_PRESETS[spec.params ?? 'tiny']!, ...spec.dims };
  if (spec.vocab) {
    const tokens = spec.vocab.metadata.get('tokenizer.ggml.tokens');
    if (!Array.isArray(tokens) || tokens.length === 0) bad('vocab GGUF has no tokenizer.ggml.tokens');
    dims.nVocab = tokens.length;
  }
  for (const k of ['nEmbd', 'nLayer', 'nHead', 'nHeadKv', 'nFf', 'nVocab', 'contextLength'] as const) {
    if (!Number.isSafeInteger(dims[k]) || dims[k] <= 0) bad(`${k} must be a positive integer`);
  }
  if (dims.nEmbd % dims.nHead !== 0 || dims.nHead % dims.nHeadKv !== 0) bad('heads must divide nEmbd and nHead');
  if ((dims.nEmbd / dims.nHead) % 2 !== 0) bad('head dimension must be even (rope)');
  if (!spec.vocab && dims.nVocab < 259) bad('a generated vocabulary needs nVocab >= 259 (specials + bytes)');
  return dims;
}

/**
 * Writes a valid GGUF for a Llama-family decoder with random weights (seeded; scaled like an
 * initialised network so activations stay O(1)) and a real tokenizer: copied from `vocab` or
 * generated ({@link spmVocabulary}). llama.cpp loads the result.
 * Throws `DTE_ERR_SYNTH_BAD_SPEC` for an unknown preset/type or a row length the type cannot hold.
 * @example writeFileSync('m.gguf', synthesizeModel({ arch: 'qwen3', params: 'tiny', type: 'Q8_0', seed: 1 }))
 */
export function synthesizeModel(spec: SynthSpec): Uint8Array {
  if (!['llama', 'qwen2', 'qwen3'].includes(spec.arch)) bad(`unsupported arch ${String(spec.arch)}`);
  const type = resolveGgmlType(spec.type);
  const d = resolveSynthDims(spec);
  const block = GGML_TYPE_INFO.get(type)!.blockSize;
  if (d.nEmbd % block !== 0 || d.nFf % block !== 0) {
    bad(`${GGML_TYPE_INFO.get(type)!.name} needs nEmbd and nFf to be multiples of ${block}`);
  }
  const rng = new SeededRng(spec.seed ?? 0);
  const a = spec.arch;
  const headDim = d.nEmbd / d.nHead;
  const kvDim = headDim * d.nHeadKv;
  const u32 = (key: string, value: number): GgufMetadataSpec => ({ key, type: GGUF_TYPE.UINT32, value });
  const f32 = (key: string, value: number): GgufMetadataSpec => ({ key, type: GGUF_TYPE.FLOAT32, value });
  const metadata: GgufMetadataSpec[] = [
    { key: 'general.architecture', type: GGUF_TYPE.STRING, value: a },
    { key: 'general.name', type: GGUF_TYPE.STRING, value: `dte-synth-${a}` },
    u32(`${a}.context_length`, d.contextLength),
    u32(`${a}.embedding_length`, d.nEmbd),
    u32(`${a}.block_count`, d.nLayer),
    u32(`${a}.feed_forward_length`, d.nFf),
    u32(`${a}.attention.head_count`, d.nHead),
    u32(`${a}.attention.head_count_kv`, d.nHeadKv),
    u32(`${a}.attention.key_length`, headDim),
    u32(`${a}.attention.value_length`, headDim),
    u32(`${a}.rope.dimension_count`, headDim),
    f32(`${a}.rope.freq_base`, spec.ropeFreqBase ?? (a === 'llama' ? 10000 : 1000000)),
    f32(`${a}.attention.layer_norm_rms_epsilon`, 1e-6),
  ];
  if (spec.vocab) {
    for (const [key, value] of spec.vocab.metadata) {
      const t = spec.vocab.metadataTypes.get(key);
      if (key.startsWith('tokenizer.') && t !== undefined) metadata.push({ key, type: t, value });
    }
  } else {
    metadata.push(...spmVocabulary(d.nVocab));
  }

  const tensors: GgufTensorSpec[] = [];
  const gauss = (n: number, std: number, mean = 0) => {
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = mean + std * rng.gaussian();
    return v;
  };
  const matrix = (name: string, k: number, n: number, std: number) =>
    tensors.push({ name, type, dims: [k, n], data: quantize(type, gauss(k * n, std)) });
  const vector = (name: string, n: number, std: number, mean: number) =>
    tensors.push({ name, type: GGML_TYPE.F32, dims: [n], data: new Uint8Array(gauss(n, std, mean).buffer) });
  if (spec.ropeFreqs !== undefined) {
    const f = Float32Array.from(spec.ropeFreqs);
    if (a !== 'llama') bad('ropeFreqs is a llama tensor');
    if (f.length !== headDim / 2 || f.some((v) => !(v > 0) || !Number.isFinite(v)))
      bad(`ropeFreqs must hold ${headDim / 2} finite positive values`);
    tensors.push({ name: 'rope_freqs.weight', type: GGML_TYPE.F32, dims: [f.length], data: new Uint8Array(f.buffer) });
  }
  const residualStd = 1 / Math.sqrt(2 * d.nLayer);
  matrix('token_embd.weight', d.nEmbd, d.nVocab, 4 / Math.sqrt(d.nEmbd));
  vector('output_norm.weight', d.nEmbd, 0.1, 1);
  if (!d.tied) matrix('output.weight', d.nEmbd, d.nVocab, 4 / Math.sqrt(d.nEmbd));
  for (let l = 0; l < d.nLayer; l++) {
    const p = `blk.${l}.`;
    vector(`${p}attn_norm.weight`, d.nEmbd, 0.1, 1);
    matrix(`${p}attn_q.weight`, d.nEmbd, d.nEmbd, 1 / Math.sqrt(d.nEmbd));
    matrix(`${p}attn_k.weight`, d.nEmbd, kvDim, 1 / Math.sqrt(d.nEmbd));
    matrix(`${p}attn_v.weight`, d.nEmbd, kvDim, 1 / Math.sqrt(d.nEmbd));
    matrix(`${p}attn_output.weight`, d.nEmbd, d.nEmbd, residualStd / Math.sqrt(d.nEmbd));
    if (a === 'qwen2') {
      vector(`${p}attn_q.bias`, d.nEmbd, 0.1, 0);
      vector(`${p}attn_k.bias`, kvDim, 0.1, 0);
      vector(`${p}attn_v.bias`, kvDim, 0.1, 0);
    }
    if (a === 'qwen3') {
      vector(`${p}attn_q_norm.weight`, headDim, 0.1, 1);
      vector(`${p}attn_k_norm.weight`, headDim, 0.1, 1);
    }
    vector(`${p}ffn_norm.weight`, d.nEmbd, 0.1, 1);
    matrix(`${p}ffn_gate.weight`, d.nEmbd, d.nFf, 1 / Math.sqrt(d.nEmbd));
    matrix(`${p}ffn_up.weight`, d.nEmbd, d.nFf, 1 / Math.sqrt(d.nEmbd));
    matrix(`${p}ffn_down.weight`, d.nFf, d.nEmbd, residualStd / Math.sqrt(d.nFf));
  }
  return writeGguf({ metadata, tensors });
}
