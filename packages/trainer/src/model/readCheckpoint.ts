import { dequantize, type GgufFile, readGguf } from '@dte/engine-core';
import { TrainerError } from '../TrainerError.ts';
import type { SpmVocab } from '../tokenizer/SpmVocab.ts';
import { parameterShapes, TinyLlama, type TinyLlamaConfig } from './TinyLlama.ts';

function num(file: GgufFile, key: string): number {
  const v = file.metadata.get(key);
  if (typeof v !== 'number')
    throw new TrainerError(
      'DTE_ERR_TRAINER_BAD_CHECKPOINT',
      `readCheckpoint: metadata ${key} is missing or not a number`,
    );
  return v;
}

/**
 * Reads a checkpoint written by `checkpointGguf` (or any llama GGUF with an untied output and an SPM
 * vocabulary) back into a float32 {@link TinyLlama} and its vocabulary: the way to resume training or
 * to fine-tune.
 * @example const { model, vocab } = readCheckpoint('echo-tiny.gguf')
 */
export function readCheckpoint(source: string | Uint8Array | GgufFile): { model: TinyLlama; vocab: SpmVocab } {
  const file = typeof source === 'string' || source instanceof Uint8Array ? readGguf(source) : source;
  if (file.metadata.get('general.architecture') !== 'llama')
    throw new TrainerError('DTE_ERR_TRAINER_BAD_CHECKPOINT', 'readCheckpoint: not a llama model');
  const pieces = file.metadata.get('tokenizer.ggml.tokens');
  const scores = file.metadata.get('tokenizer.ggml.scores');
  const types = file.metadata.get('tokenizer.ggml.token_type');
  if (!Array.isArray(pieces) || !(scores instanceof Float32Array) || !(types instanceof Int32Array))
    throw new TrainerError('DTE_ERR_TRAINER_BAD_CHECKPOINT', 'readCheckpoint: tokenizer metadata missing');
  const vocab: SpmVocab = {
    pieces: pieces as string[],
    scores,
    types,
    unkId: num(file, 'tokenizer.ggml.unknown_token_id'),
    bosId: num(file, 'tokenizer.ggml.bos_token_id'),
    eosId: num(file, 'tokenizer.ggml.eos_token_id'),
  };
  const config: TinyLlamaConfig = {
    nVocab: pieces.length,
    nEmbd: num(file, 'llama.embedding_length'),
    nLayer: num(file, 'llama.block_count'),
    nHead: num(file, 'llama.attention.head_count'),
    nHeadKv: num(file, 'llama.attention.head_count_kv'),
    nFf: num(file, 'llama.feed_forward_length'),
    normEps: num(file, 'llama.attention.layer_norm_rms_epsilon'),
    ropeFreqBase: num(file, 'llama.rope.freq_base'),
    contextLength: num(file, 'llama.context_length'),
  };
  const params = new Map<string, Float32Array>();
  for (const [name, rows, cols] of parameterShapes(config)) {
    const t = file.tensor(name);
    if (!t || t.nElements !== rows * cols)
      throw new TrainerError('DTE_ERR_TRAINER_BAD_CHECKPOINT', `readCheckpoint: tensor ${name} missing or misshapen`);
    params.set(name, dequantize(t.type, t.data, t.nElements));
  }
  return { model: new TinyLlama(config, params), vocab };
}
