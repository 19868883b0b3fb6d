import { EngineError } from '../EngineError.ts';

/** llama2.c "version 0" header (7 int32). */
export interface Llama2cConfig {
  dim: number;
  hiddenDim: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  vocabSize: number;
  seqLen: number;
  /** True when the classifier shares the token embedding (vocab_size was positive in the file). */
  sharedClassifier: boolean;
}

/** The weights of a llama2.c checkpoint as raw little-endian f32 byte views (zero-copy), in file order. */
export interface Llama2cCheckpoint {
  config: Llama2cConfig;
  tokenEmbedding: Uint8Array;
  rmsAtt: Uint8Array[];
  wq: Uint8Array[];
  wk: Uint8Array[];
  wv: Uint8Array[];
  wo: Uint8Array[];
  rmsFfn: Uint8Array[];
  w1: Uint8Array[];
  w2: Uint8Array[];
  w3: Uint8Array[];
  rmsFinal: Uint8Array;
  /** The classifier: a view of `tokenEmbedding` when shared. */
  wcls: Uint8Array;
}

const MAX_DIM = 1 << 20;

function bad(reason: string): never {
  throw new EngineError('DTE_ERR_CONVERT_BAD_CHECKPOINT', `readLlama2cCheckpoint: ${reason}`);
}

/**
 * Parses a llama2.c `.bin` checkpoint (version-0 header: dim, hidden_dim, n_layers, n_heads,
 * n_kv_heads, vocab_size (negative = unshared classifier), seq_len; then the f32 weights in
 * llama2.c's order, including the unused RoPE tables). The size must match the header exactly.
 * @example const ckpt = readLlama2cCheckpoint(readFileSync('stories260K.bin'))
 */
export function readLlama2cCheckpoint(bytes: Uint8Array): Llama2cCheckpoint {
  if (bytes.byteLength < 28) bad(`file of ${bytes.byteLength} bytes is shorter than the 28-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) === 0x616b3432) {
    bad(
      `"ak42" checkpoint (llama2.c export version ${view.getInt32(4, true)}) is not supported: export with --version 0`,
    );
  }
  const h = Array.from({ length: 7 }, (_, i) => view.getInt32(i * 4, true));
  const [dim, hiddenDim, nLayers, nHeads, nKvHeads, rawVocab, seqLen] = h as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const vocabSize = Math.abs(rawVocab);
  for (const [name, v] of Object.entries({ dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize, seqLen })) {
    if (!(v > 0 && v <= MAX_DIM)) bad(`header field ${name} = ${v} is out of range (1..${MAX_DIM})`);
  }
  if (dim % nHeads !== 0) bad(`dim ${dim} is not a multiple of n_heads ${nHeads}`);
  if (nHeads % nKvHeads !== 0) bad(`n_heads ${nHeads} is not a multiple of n_kv_heads ${nKvHeads}`);
  const headSize = dim / nHeads;
  if (headSize % 2 !== 0) bad(`head size ${headSize} is odd`);
  const kvDim = nKvHeads * headSize;
  const config: Llama2cConfig = {
    dim,
    hiddenDim,
    nLayers,
    nHeads,
    nKvHeads,
    vocabSize,
    seqLen,
    sharedClassifier: rawVocab > 0,
  };

  let pos = 28;
  const take = (nFloats: number): Uint8Array => {
    const n = nFloats * 4;
    if (pos + n > bytes.byteLength) bad(`weights end at byte ${bytes.byteLength}, need ${pos + n}`);
    const v = bytes.subarray(pos, pos + n);
    pos += n;
    return v;
  };
  const perLayer = (nFloats: number): Uint8Array[] => Array.from({ length: nLayers }, () => take(nFloats));
  // Check the total size before slicing anything (all sizes are far below 2^53).
  const floats =
    vocabSize * dim +
    nLayers * (2 * dim + dim * dim + 2 * dim * kvDim + dim * dim + 3 * dim * hiddenDim) +
    dim +
    seqLen * headSize +
    (config.sharedClassifier ? 0 : vocabSize * dim);
  if (28 + floats * 4 !== bytes.byteLength) {
    bad(`header implies ${28 + floats * 4} bytes, file has ${bytes.byteLength}`);
  }
  const tokenEmbedding = take(vocabSize * dim);
  const rmsAtt = perLayer(dim);
  const wq = perLayer(dim * dim);
  const wk = perLayer(dim * kvDim);
  const wv = perLayer(dim * kvDim);
  const wo = perLayer(dim * dim);
  const rmsFfn = perLayer(dim);
  const w1 = perLayer(dim * hiddenDim);
  const w2 = perLayer(hiddenDim * dim);
  const w3 = perLayer(dim * hiddenDim);
  const rmsFinal = take(dim);
  take(seqLen * headSize); // freq_cis_real + freq_cis_imag (unused: RoPE is recomputed)
  const wcls = config.sharedClassifier ? tokenEmbedding : take(vocabSize * dim);
  return { config, tokenEmbedding, rmsAtt, wq, wk, wv, wo, rmsFfn, w1, w2, w3, rmsFinal, wcls };
}
