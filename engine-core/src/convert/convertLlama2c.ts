import { EngineError } from '../EngineError.ts';
import { GGML_TYPE, GGML_TYPE_INFO, ggmlTypeName } from '../gguf/GGML_TYPE.ts';
import { GGUF_TYPE } from '../gguf/GGUF_TYPE.ts';
import { quantize } from '../gguf/quantize.ts';
import { type GgufMetadataSpec, type GgufTensorSpec, writeGguf } from '../gguf/writeGguf.ts';
import { readLlama2cCheckpoint } from './readLlama2cCheckpoint.ts';
import { readLlama2cTokenizer } from './readLlama2cTokenizer.ts';

/** Options of {@link convertLlama2c}. */
export interface ConvertLlama2cOptions {
  /** `llama.context_length` (default: the checkpoint's seq_len; llama.cpp's CI file says 2048). */
  contextLength?: number;
  /** `general.name` (default `'llama'`, as llama.cpp's converter writes). */
  name?: string;
  /**
   * ggml type of the matrices (default F32, llama.cpp's output). Matrices whose rows are not a
   * multiple of the type's block size, and all 1-D norms, stay F32. Any other type adds `general.file_type`.
   */
  type?: number;
}

// llama_ftype written as general.file_type for each weight type.
const FILE_TYPE: Record<number, number> = {
  [GGML_TYPE.F16]: 1,
  [GGML_TYPE.Q4_0]: 2,
  [GGML_TYPE.Q8_0]: 7,
  [GGML_TYPE.Q4_K]: 15,
  [GGML_TYPE.Q6_K]: 18,
  [GGML_TYPE.BF16]: 32,
};

// llama token types (llama.cpp's llama_token_type).
const TOKEN_NORMAL = 1;
const TOKEN_UNKNOWN = 2;
const TOKEN_CONTROL = 3;
const TOKEN_BYTE = 6;

/**
 * Converts a llama2.c checkpoint + tokenizer to GGUF (F32, llama architecture) the way llama.cpp's
 * `convert-llama2c-to-ggml` does: same metadata keys, order and types; same tensor names and order;
 * weights copied unpermuted (llama2.c already uses ggml's pairwise RoPE layout); tokens 0/1/2 named
 * `<unk>`, `<s>`, `</s>`; byte pieces typed BYTE; spaces written as U+2581.
 * @example writeFileSync('out.gguf', convertLlama2c(readFileSync('m.bin'), readFileSync('tok.bin')))
 */
export function convertLlama2c(
  checkpoint: Uint8Array,
  tokenizer: Uint8Array,
  options: ConvertLlama2cOptions = {},
): Uint8Array {
  const weightType = options.type ?? GGML_TYPE.F32;
  if (weightType !== GGML_TYPE.F32 && FILE_TYPE[weightType] === undefined) {
    throw new EngineError(
      'DTE_ERR_QUANT_UNSUPPORTED',
      `convertLlama2c: cannot write weights as ${ggmlTypeName(weightType)}`,
    );
  }
  const ckpt = readLlama2cCheckpoint(checkpoint);
  const c = ckpt.config;
  const vocab = readLlama2cTokenizer(tokenizer, c.vocabSize);

  const tokens: string[] = [];
  const scores = new Float32Array(c.vocabSize);
  const types = new Int32Array(c.vocabSize);
  vocab.forEach((tok, id) => {
    let text = tok.text;
    let type = TOKEN_NORMAL;
    if (id === 0) [text, type] = ['<unk>', TOKEN_UNKNOWN];
    else if (id === 1) [text, type] = ['<s>', TOKEN_CONTROL];
    else if (id === 2) [text, type] = ['</s>', TOKEN_CONTROL];
    else if (text === '') type = TOKEN_CONTROL;
    else if (/^<0x[0-9A-Fa-f]/.test(text)) type = TOKEN_BYTE;
    tokens.push(text.replaceAll(' ', '\u2581'));
    scores[id] = tok.score;
    types[id] = type;
  });

  const u32 = (key: string, value: number): GgufMetadataSpec => ({ key, type: GGUF_TYPE.UINT32, value });
  const str = (key: string, value: string): GgufMetadataSpec => ({ key, type: GGUF_TYPE.STRING, value });
  const metadata: GgufMetadataSpec[] = [
    { key: 'tokenizer.ggml.tokens', type: { array: GGUF_TYPE.STRING }, value: tokens },
    { key: 'tokenizer.ggml.scores', type: { array: GGUF_TYPE.FLOAT32 }, value: scores },
    { key: 'tokenizer.ggml.token_type', type: { array: GGUF_TYPE.INT32 }, value: types },
    str('tokenizer.ggml.model', 'llama'),
    str('general.architecture', 'llama'),
    str('general.name', options.name ?? 'llama'),
    u32('tokenizer.ggml.unknown_token_id', 0),
    u32('tokenizer.ggml.bos_token_id', 1),
    u32('tokenizer.ggml.eos_token_id', 2),
    u32('tokenizer.ggml.seperator_token_id', 0xffffffff), // sic: llama.cpp's key spelling
    u32('tokenizer.ggml.padding_token_id', 0xffffffff),
    u32('llama.context_length', options.contextLength ?? c.seqLen),
    u32('llama.embedding_length', c.dim),
    u32('llama.feed_forward_length', c.hiddenDim),
    u32('llama.attention.head_count', c.nHeads),
    u32('llama.attention.head_count_kv', c.nKvHeads),
    u32('llama.block_count', c.nLayers),
    u32('llama.rope.dimension_count', Math.min(64, c.dim / c.nHeads)),
    { key: 'llama.attention.layer_norm_rms_epsilon', type: GGUF_TYPE.FLOAT32, value: 1e-5 },
  ];

  if (weightType !== GGML_TYPE.F32) metadata.push(u32('general.file_type', FILE_TYPE[weightType]!));

  const kvDim = (c.nKvHeads * c.dim) / c.nHeads;
  const blockSize = GGML_TYPE_INFO.get(weightType)!.blockSize;
  const tensor = (name: string, dims: number[], data: Uint8Array): GgufTensorSpec => {
    if (dims.length < 2 || weightType === GGML_TYPE.F32 || dims[0]! % blockSize !== 0) {
      return { name, type: GGML_TYPE.F32, dims, data };
    }
    const values = new Float32Array(new Uint8Array(data).buffer); // a copy: the view may be unaligned
    return { name, type: weightType, dims, data: quantize(weightType, values) };
  };
  const tensors: GgufTensorSpec[] = [
    tensor('token_embd.weight', [c.dim, c.vocabSize], ckpt.tokenEmbedding),
    tensor('output_norm.weight', [c.dim], ckpt.rmsFinal),
    tensor('output.weight', [c.dim, c.vocabSize], ckpt.wcls),
  ];
  for (let i = 0; i < c.nLayers; i++) {
    tensors.push(
      tensor(`blk.${i}.attn_q.weight`, [c.dim, c.dim], ckpt.wq[i]!),
      tensor(`blk.${i}.attn_k.weight`, [c.dim, kvDim], ckpt.wk[i]!),
      tensor(`blk.${i}.attn_v.weight`, [c.dim, kvDim], ckpt.wv[i]!),
      tensor(`blk.${i}.attn_output.weight`, [c.dim, c.dim], ckpt.wo[i]!),
      tensor(`blk.${i}.attn_norm.weight`, [c.dim], ckpt.rmsAtt[i]!),
      tensor(`blk.${i}.ffn_gate.weight`, [c.dim, c.hiddenDim], ckpt.w1[i]!),
      tensor(`blk.${i}.ffn_down.weight`, [c.hiddenDim, c.dim], ckpt.w2[i]!),
      tensor(`blk.${i}.ffn_up.weight`, [c.dim, c.hiddenDim], ckpt.w3[i]!),
      tensor(`blk.${i}.ffn_norm.weight`, [c.dim], ckpt.rmsFfn[i]!),
    );
  }
  return writeGguf({ metadata, tensors });
}
