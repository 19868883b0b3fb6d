/** llama.cpp token types (`tokenizer.ggml.token_type`). */
export const TOKEN_TYPE = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, BYTE: 6 } as const;

/** A SentencePiece-BPE vocabulary: pieces with scores and types; ids are indices. */
export interface SpmVocab {
  pieces: string[];
  scores: Float32Array;
  types: Int32Array;
  unkId: number;
  bosId: number;
  eosId: number;
}

/** The space marker of SentencePiece. */
export const SPACE = '\u2581';

/** `<0xXX>` byte-token text of a byte. */
export function bytePiece(b: number): string {
  return `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
}
