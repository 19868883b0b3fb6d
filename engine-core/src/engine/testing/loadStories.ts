import { hasSharedModel, sharedModel } from '@dte/testkit';
import type { ForwardBatch, ModelExecutor } from '../../model/LlamaTypes.ts';
import { type LoadedModel, loadModel } from '../../model/loadModel.ts';

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

let backend: 'native' | 'reference' | undefined;

/** stories260K through `loadModel`: the native model when `@dte/native` provides it, else the TypeScript reference. */
export async function loadStories(
  numBlocks: number,
  blockSize = 16,
): Promise<LoadedModel & { executor: CountingExecutor }> {
  const path = sharedModel('stories260K.gguf');
  let loaded: LoadedModel;
  if (backend === undefined) {
    try {
      loaded = await loadModel(path, { numBlocks, blockSize, backend: 'native' });
      backend = 'native';
    } catch (e) {
      if ((e as { code?: string }).code !== 'DTE_ERR_MODEL_BACKEND_UNAVAILABLE') throw e;
      console.warn('[engine tests] @dte/native has no LlamaModel: using the TypeScript reference model');
      backend = 'reference';
      loaded = await loadModel(path, { numBlocks, blockSize, backend });
    }
  } else {
    loaded = await loadModel(path, { numBlocks, blockSize, backend });
  }
  return { ...loaded, executor: new CountingExecutor(loaded.model) };
}
