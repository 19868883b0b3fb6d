import { readGguf } from '../../gguf/readGguf.ts';
import { hasSharedModel, sharedModel } from '../../gguf/sharedModels.ts';
import type { ForwardBatch, ModelExecutor } from '../../model/LlamaTypes.ts';
import { mapLlamaWeights } from '../../model/mapLlamaWeights.ts';
import { ReferenceModel } from '../../model/ReferenceModel.ts';
import { readLlamaConfig } from '../../model/readLlamaConfig.ts';
import { Tokenizer } from '../../tokenizer/Tokenizer.ts';

export { hasSharedModel };

/** A model executor that counts the tokens it computes. */
export class CountingExecutor implements ModelExecutor {
  numTokens = 0;
  numForwards = 0;
  constructor(readonly inner: ModelExecutor) {}
  forward(batch: ForwardBatch): Promise<Float32Array> {
    this.numTokens += batch.tokens.length;
    this.numForwards++;
    return this.inner.forward(batch);
  }
}

/** Test loader for stories260K: the TypeScript reference model (the native one when wired in). */
export function loadStories(numBlocks: number, blockSize = 16) {
  const file = readGguf(sharedModel('stories260K.gguf'));
  const config = readLlamaConfig(file, { blockSize, numBlocks });
  const model = new ReferenceModel(config, mapLlamaWeights(file, config));
  const tokenizer = Tokenizer.fromGguf(file);
  return { file, config, tokenizer, model, executor: new CountingExecutor(model) };
}
