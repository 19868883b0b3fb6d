import { cudaInfo } from '@dte/native';
import { describe, expect, it } from 'vitest';
import { readGguf } from '../gguf/readGguf.ts';
import { synthesizeModel } from '../synth/synthesizeModel.ts';
import { deviceKvBlocks, kvBytesPerBlock, loadModel } from './loadModel.ts';

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
    await expect(loadModel(file, { backend: 'cpu', device: -1 })).rejects.toThrow(code);
    await expect(loadModel(file, { backend: 'cpu', gpuMemoryUtilization: 1.5 })).rejects.toThrow(code);
  });

  it('places the model on the backend asked for, auto resolved', async () => {
    const hasDevice = cudaInfo().devices.length > 0;
    expect((await loadModel(file, { numBlocks: 4 })).backend).toBe('cpu');
    expect((await loadModel(file, { backend: 'native', numBlocks: 4 })).backend).toBe('cpu');
    expect((await loadModel(file, { backend: 'auto', numBlocks: 4 })).backend).toBe(hasDevice ? 'cuda' : 'cpu');
    if (!hasDevice) {
      const err = await loadModel(file, { backend: 'cuda' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'DTE_ERR_MODEL_BACKEND_UNAVAILABLE' });
      expect((err as Error).message).toMatch(/cuda is not available here: (not built|no driver|no device|cuda error)/);
    }
  });

  it('sizes a device cache from free memory after the weights, as vLLM does', () => {
    const gib = 2 ** 30;
    // 0.9 of 100 GiB, less 10 GiB of weights, in 1 MiB blocks.
    expect(deviceKvBlocks(100 * gib, 10 * gib, 2 ** 20, 16)).toBe(Math.floor((90 * gib - 10 * gib) / 2 ** 20));
    expect(deviceKvBlocks(100 * gib, 10 * gib, 2 ** 20, 16, 0.5)).toBe(40 * 1024);
    // Weights that do not leave one block: none; huge memory: capped by the int32 slot index.
    expect(deviceKvBlocks(10 * gib, 9.5 * gib, gib, 16)).toBe(0);
    expect(deviceKvBlocks(2 ** 50, 0, 1024, 16)).toBe(Math.floor((2 ** 31 - 1) / 16));
  });
});
