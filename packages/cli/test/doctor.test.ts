import { cpuInfo, cudaInfo } from '@dte/native';
import { describe, expect, it } from 'vitest';
import { doctorReport } from '../src/commands/doctor.ts';
import { runDte } from './support/runDte.ts';

describe('dte doctor', () => {
  it('prints the CPU paths and the CUDA state as one JSON object', async () => {
    const { status, stdout } = await runDte(['doctor', '--json']);
    expect(status).toBe(0);
    const r = JSON.parse(stdout);
    const cpu = cpuInfo();
    expect(r.cpu.isaPaths).toEqual(cpu.available);
    expect(r.cpu.isaPaths).toContain('generic');
    expect(r.cpu.isaPaths).toContain(r.cpu.chosen);
    const cuda = cudaInfo();
    expect(r.cuda).toEqual(cuda);
    if (cuda.devices.length === 0) {
      expect(r.cuda.reason).toMatch(/^(not built|no driver|no device|cuda error)/);
      expect(r.backend.auto).toBe('cpu');
    } else {
      expect(r.backend.auto).toBe('cuda');
    }
  });

  it('says why when the library is missing, and which path DTE_NATIVE_ISA forced', () => {
    const r = doctorReport({ DTE_CUDA_LIBRARY: '/nonexistent/libdte_cuda.so', DTE_NATIVE_ISA: cpuInfo().isa });
    expect(r.cuda).toMatchObject({ built: false, devices: [], library: '/nonexistent/libdte_cuda.so' });
    expect(r.cuda.reason).toMatch(/^not built/);
    expect(r.backend.auto).toBe('cpu');
    expect(r.cpu.chosenBecause).toBe(`DTE_NATIVE_ISA=${cpuInfo().isa}`);
  });

  it('prints a readable report, and refuses arguments', async () => {
    const text = await runDte(['doctor']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^cpu\n {2}model/);
    expect(text.stdout).toMatch(/\n {2}isa paths {4}generic/);
    expect(text.stdout).toMatch(/\ncuda\n {2}library {6}(built|not built): /);
    const bad = await runDte(['doctor', 'extra']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('DTE_ERR_CLI_USAGE');
  });
});
