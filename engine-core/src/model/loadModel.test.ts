import { describe, expect, it } from 'vitest';
import { readGguf } from '../gguf/readGguf.ts';
import { synthesizeModel } from '../synth/synthesizeModel.ts';
import { kvBytesPerBlock, loadModel } from './loadModel.ts';

const file = readGguf(synthesizeModel({ arch: 'llama', params: 'tiny', dims: { nLayer: 1 }, type: 'Q8_0', seed: 2 }));

describe('loadModel', () => {
  it('sizes the KV cache from numBlocks, a byte budget or the training context', async () => {
    const perBlock = kvBytesPerBlock({ nLayer: 1, nHeadKv: 2, headDim: 64 }, 16);
    expect(perBlock).toBe(2 * 16 * 128 * 4);
    const a = await loadModel(file, { backend: 'reference', numBlocks: 3 });
    expect(a.config.numBlocks).toBe(3);
    expect(a.model.kvCacheBytes).toBe(3 * perBlock);
    const b = await loadModel(file, { backend: 'reference', kvCacheBytes: 10 * perBlock + 5 });
    expect(b.config.numBlocks).toBe(10);
    const h = await loadModel(file, { backend: 'reference', kvCacheBytes: 10 * perBlock + 5, kvCacheType: 'f16' });
    expect(h.config).toMatchObject({ numBlocks: 20, kvCacheType: 'f16' });
    expect(h.model.kvCacheBytes).toBe(10 * perBlock);
    const c = await loadModel(file, { backend: 'reference', blockSize: 32 });
    expect(c.config).toMatchObject({ blockSize: 32, numBlocks: 512 / 32 });
    expect(c.tokenizer.vocabSize).toBe(512);
  });

  it('rejects bad options with DTE_ERR_MODEL_BAD_OPTIONS', async () => {
    const code = expect.objectContaining({ code: 'DTE_ERR_MODEL_BAD_OPTIONS' });
    await expect(loadModel(file, { backend: 'reference', numBlocks: 0 })).rejects.toThrow(code);
    await expect(loadModel(file, { backend: 'reference', blockSize: 0 })).rejects.toThrow(code);
    await expect(loadModel(file, { backend: 'reference', kvCacheBytes: 10 })).rejects.toThrow(code);
    await expect(loadModel(file, { backend: 'gpu' as never })).rejects.toThrow(code);
    await expect(loadModel(file, { backend: 'reference', kvCacheType: 'q8' as never })).rejects.toThrow(code);
  });
});
