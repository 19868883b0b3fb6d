/**
 * The model surface shared with `@dte/native` (contracts.md): configuration, zero-copy weights and
 * the paged forward batch are `@dte/native`'s own types, re-exported; `ModelExecutor` is what the
 * serving engine needs from any model (the native `LlamaModel` or the TypeScript reference).
 */
import type { ForwardBatch } from '@dte/native';

export type { ForwardBatch, LlamaConfig, LlamaLayerWeights, LlamaWeights, NativeWeight } from '@dte/native';

/** What the serving engine needs from a model: one paged forward step. */
export interface ModelExecutor {
  forward(batch: ForwardBatch): Promise<Float32Array>;
}
