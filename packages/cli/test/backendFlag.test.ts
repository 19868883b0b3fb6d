import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cudaInfo } from '@dte/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDte } from './support/runDte.ts';

const dir = mkdtempSync(join(tmpdir(), 'dte-backend-'));
const model = join(dir, 'tiny.gguf');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  const r = await runDte(['synth', '--arch', 'llama', '--params', 'tiny', '--type', 'Q8_0', '--out', model]);
  expect(r.status).toBe(0);
});
const hasDevice = cudaInfo().devices.length > 0;

describe('--backend', () => {
  it('runs on cpu (and native, its old name) and on auto', async () => {
    for (const backend of ['cpu', 'native', 'auto']) {
      const r = await runDte([
        'generate',
        '--model',
        model,
        '--prompt',
        'Once',
        '--max-tokens',
        '3',
        '--backend',
        backend,
      ]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(backend === 'auto' && hasDevice ? '(cuda)' : '(cpu)');
    }
  });

  it.skipIf(hasDevice)('asks for cuda where it cannot run: a typed error with the reason', async () => {
    const r = await runDte(['generate', '--model', model, '--prompt', 'Once', '--backend', 'cuda']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('DTE_ERR_MODEL_BACKEND_UNAVAILABLE');
    expect(r.stderr).toMatch(/not built|no driver|no device|cuda error/);
  });

  it('refuses an unknown backend as a usage error', async () => {
    const r = await runDte(['generate', '--model', model, '--prompt', 'Once', '--backend', 'tpu']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('DTE_ERR_CLI_USAGE');
    expect(r.stderr).toContain('--backend must be cpu, cuda, auto or reference');
  });
});
