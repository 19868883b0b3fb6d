import { GGUF_TYPE, type GgufMetadataSpec } from '@dte/engine-core';
import type { SpmVocab } from './SpmVocab.ts';

/**
 * The GGUF `tokenizer.ggml.*` metadata of a SentencePiece-BPE vocabulary (llama.cpp's `llama` model):
 * tokens, scores, token types, BOS/EOS/UNK ids, add-BOS and the space prefix.
 * @example writeGguf({ metadata: [...tokenizerMetadata(vocab)], tensors: [] })
 */
export function tokenizerMetadata(vocab: SpmVocab): GgufMetadataSpec[] {
  return [
    { key: 'tokenizer.ggml.model', type: GGUF_TYPE.STRING, value: 'llama' },
    { key: 'tokenizer.ggml.tokens', type: { array: GGUF_TYPE.STRING }, value: vocab.pieces },
    { key: 'tokenizer.ggml.scores', type: { array: GGUF_TYPE.FLOAT32 }, value: vocab.scores },
    { key: 'tokenizer.ggml.token_type', type: { array: GGUF_TYPE.INT32 }, value: vocab.types },
    { key: 'tokenizer.ggml.bos_token_id', type: GGUF_TYPE.UINT32, value: vocab.bosId },
    { key: 'tokenizer.ggml.eos_token_id', type: GGUF_TYPE.UINT32, value: vocab.eosId },
    { key: 'tokenizer.ggml.unknown_token_id', type: GGUF_TYPE.UINT32, value: vocab.unkId },
    { key: 'tokenizer.ggml.add_bos_token', type: GGUF_TYPE.BOOL, value: true },
    { key: 'tokenizer.ggml.add_eos_token', type: GGUF_TYPE.BOOL, value: false },
    { key: 'tokenizer.ggml.add_space_prefix', type: GGUF_TYPE.BOOL, value: true },
  ];
}
