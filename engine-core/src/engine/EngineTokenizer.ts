/** Incremental detokenizer: text that never splits a UTF-8 character. */
export interface TokenStreamDecoder {
  push(id: number): string;
  flush(): string;
}

/**
 * What the engine needs from a tokenizer (the GGUF `Tokenizer` satisfies it structurally).
 */
export interface EngineTokenizer {
  encode(text: string, options?: { addBos?: boolean; parseSpecial?: boolean }): number[];
  readonly eosId: number;
  readonly vocabSize: number;
  isEog(id: number): boolean;
  createStreamDecoder(options?: { skipSpecial?: boolean }): TokenStreamDecoder;
}
