import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cudaInfo, cudaLibraryPath, resolveBackend } from '../src/backend.ts';
import { LlamaModel } from '../src/LlamaModel.ts';
import { randomLlama } from './support/referenceLlama.ts';
import { TestKvBook } from './support/testKvBook.ts';
import { TestRng } from './support/testRng.ts';
import { tinyConfig } from './support/tinyConfig.ts';

// On machines without a GPU (CI here) these pin the clean "no device" path; where a device is usable,
// the CUDA model is checked against the CPU one (the full parity suite is `npm run test:cuda`).
const info = cudaInfo();
const hasDevice = info.devices.length > 0;

describe('backends', () => {
  it('probes CUDA without throwing, and says why there is no device', () => {
    expect(info.library).toBe(cudaLibraryPath());
    if (hasDevice) {
      expect(info.built).toBe(true);
      expect(info.reason).toBe('');
      expect(info.devices[0]!.totalMemory).toBeGreaterThan(0);
    } else {
      expect(info.reason).toMatch(info.built ? /^(no driver|no device|cuda error)/ : /^not built/);
    }
  });

  it('reports a file that is not the library as not built', () => {
    const fake = join(tmpdir(), `dte-not-a-library-${process.pid}.so`);
    writeFileSync(fake, 'not an ELF file');
    const p = cudaInfo({ DTE_CUDA_LIBRARY: fake });
    expect(p).toMatchObject({ built: false, devices: [], library: fake });
    expect(p.reason).toMatch(/^not built: /);
    expect(cudaInfo({ DTE_CUDA_LIBRARY: join(tmpdir(), 'no-such-dir', 'x.so') }).reason).toMatch(/does not exist/);
  });

  it('resolves auto to cuda only where a device is usable', () => {
    expect(resolveBackend('cpu')).toBe('cpu');
    expect(resolveBackend('auto')).toBe(hasDevice ? 'cuda' : 'cpu');
    expect(() => resolveBackend('tpu' as 'cpu')).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_NATIVE_BACKEND_UNKNOWN' }),
    );
  });

  const cfg = tinyConfig({ numBlocks: 32, blockSize: 16 });
  const m = randomLlama(cfg, new TestRng(5));

  it.skipIf(hasDevice)('refuses a CUDA model with a typed error that carries the reason', () => {
    let err: unknown;
    try {
      new LlamaModel(cfg, m.weights, { backend: 'cuda' });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'DTE_ERR_NATIVE_BACKEND_UNAVAILABLE' });
    expect((err as Error).message).toContain(info.reason.slice(0, 20));
    // auto falls back to the CPU and runs.
    const auto = new LlamaModel(cfg, m.weights, { backend: 'auto' });
    expect(auto.backend).toBe('cpu');
    const book = new TestKvBook(32, 16, new TestRng(1));
    const out = auto.forwardSync(book.build([{ seq: 0, tokens: [1, 2, 3], logits: 'last' }]).batch);
    expect(out.length).toBe(cfg.nVocab);
    auto.dispose();
  });

  it.runIf(hasDevice)('runs the same greedy steps on CUDA as on the CPU', () => {
    const tokens = [1, 5, 9, 2, 7, 3, 4, 8];
    const run = (backend: 'cpu' | 'cuda') => {
      const model = new LlamaModel(cfg, m.weights, { backend });
      expect(model.backend).toBe(backend);
      const book = new TestKvBook(32, 16, new TestRng(2));
      const out = model.forwardSync(book.build([{ seq: 0, tokens, logits: 'all' }]).batch);
      model.dispose();
      return out;
    };
    const cpu = run('cpu');
    const gpu = run('cuda');
    let num = 0;
    let den = 0;
    for (let i = 0; i < cpu.length; i++) {
      num += (cpu[i]! - gpu[i]!) ** 2;
      den += cpu[i]! ** 2;
    }
    expect(Math.sqrt(num / den)).toBeLessThan(5e-4);
  });

  it('rejects an unknown backend in the native config', () => {
    expect(() => new LlamaModel(cfg, m.weights, { backend: 'metal' as 'cpu' })).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_NATIVE_BACKEND_UNKNOWN' }),
    );
  });
});
