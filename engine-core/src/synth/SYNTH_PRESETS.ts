/** Shape of a synthetic decoder (everything but the weights). */
export interface SynthDims {
  nEmbd: number;
  nLayer: number;
  nHead: number;
  nHeadKv: number;
  nFf: number;
  nVocab: number;
  /** Output projection shares token_embd (no `output.weight`). */
  tied: boolean;
  contextLength: number;
}

/**
 * Named sizes for `synthesizeModel({ params })` / `dte synth --params`. The llama2.c TinyStories
 * shapes (15M/42M/110M, tied embeddings, 32k vocabulary) plus a `tiny` one for fast tests.
 * Every row length is a multiple of 256 where K-quants need it (except 15M: F32/F16/BF16/Q8_0/Q4_0 only).
 */
export const SYNTH_PRESETS: Readonly<Record<string, SynthDims>> = {
  tiny: { nEmbd: 256, nLayer: 2, nHead: 4, nHeadKv: 2, nFf: 512, nVocab: 512, tied: false, contextLength: 512 },
  '15M': { nEmbd: 288, nLayer: 6, nHead: 6, nHeadKv: 6, nFf: 768, nVocab: 32000, tied: true, contextLength: 2048 },
  '42M': { nEmbd: 512, nLayer: 8, nHead: 8, nHeadKv: 8, nFf: 1536, nVocab: 32000, tied: true, contextLength: 2048 },
  '110M': { nEmbd: 768, nLayer: 12, nHead: 12, nHeadKv: 12, nFf: 2048, nVocab: 32000, tied: true, contextLength: 2048 },
  '0.4B': {
    nEmbd: 1024,
    nLayer: 24,
    nHead: 16,
    nHeadKv: 4,
    nFf: 4096,
    nVocab: 32000,
    tied: false,
    contextLength: 4096,
  },
};
