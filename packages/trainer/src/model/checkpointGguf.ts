import { GGML_TYPE, GGUF_TYPE, type GgufMetadataSpec, writeGguf } from '@dte/engine-core';
import type { SpmVocab } from '../tokenizer/SpmVocab.ts';
import { tokenizerMetadata } from '../tokenizer/tokenizerMetadata.ts';
import { parameterShapes, type TinyLlama } from './TinyLlama.ts';

/**
 * A trained {@link TinyLlama} as a GGUF file the engine's `loadModel` reads: `llama` hyper-parameters,
 * the tokenizer's metadata and every parameter as an F32 tensor (GGUF dims [cols, rows]).
 * @example writeFileSync('echo-tiny.gguf', checkpointGguf(model, vocab, 'echo-tiny'))
 */
export function checkpointGguf(
  model: TinyLlama,
  vocab: SpmVocab,
  name: string,
  extra: GgufMetadataSpec[] = [],
): Uint8Array {
  const c = model.config;
  const u32 = (key: string, value: number): GgufMetadataSpec => ({ key, type: GGUF_TYPE.UINT32, value });
  const f32 = (key: string, value: number): GgufMetadataSpec => ({ key, type: GGUF_TYPE.FLOAT32, value });
  const metadata: GgufMetadataSpec[] = [
    { key: 'general.architecture', type: GGUF_TYPE.STRING, value: 'llama' },
    { key: 'general.name', type: GGUF_TYPE.STRING, value: name },
    u32('llama.context_length', c.contextLength),
    u32('llama.embedding_length', c.nEmbd),
    u32('llama.block_count', c.nLayer),
    u32('llama.feed_forward_length', c.nFf),
    u32('llama.attention.head_count', c.nHead),
    u32('llama.attention.head_count_kv', c.nHeadKv),
    u32('llama.rope.dimension_count', c.nEmbd / c.nHead),
    f32('llama.attention.layer_norm_rms_epsilon', c.normEps),
    f32('llama.rope.freq_base', c.ropeFreqBase),
    ...tokenizerMetadata(vocab),
    ...extra,
  ];
  const tensors = parameterShapes(c).map(([tensorName, rows, cols]) => {
    const p = Float32Array.from(model.params.get(tensorName)!);
    return {
      name: tensorName,
      type: GGML_TYPE.F32,
      dims: rows === 1 ? [cols] : [cols, rows],
      data: new Uint8Array(p.buffer, p.byteOffset, p.byteLength),
    };
  });
  return writeGguf({ metadata, tensors });
}
