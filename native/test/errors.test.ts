import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  applyForcedIsa,
  bindingCandidates,
  cpuInfo,
  dequantize,
  getNumThreads,
  getRows,
  loadBindingFrom,
  matmul,
  NATIVE_ERROR_CODES,
  NativeError,
  rmsNorm,
  rope,
  setIsa,
  setNumThreads,
  softmax,
} from '../src/index.ts';
import { T } from './reference/refDequantize.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

const BAD = 'DTE_ERR_NATIVE_BAD_ARGUMENT';
const w = new Uint8Array(34 * 4); // 4 rows of one q8_0 block
const x = new Float32Array(32);

describe('native error codes', () => {
  it('every registry key equals its code', () => {
    for (const [key, value] of Object.entries(NATIVE_ERROR_CODES)) expect(value).toBe(key);
  });

  it('bad matmul arguments throw TypeError with a code, never crash', () => {
    const cases: Array<() => unknown> = [
      () => (matmul as unknown as () => unknown)(),
      () => matmul(99, w, 32, 4, x, 1), // unknown type
      () => matmul(T.Q8_0, w, 33, 4, x, 1), // k not a multiple of 32
      () => matmul(T.Q8_0, w, 32, 5, x, 1), // weights too short for n rows
      () => matmul(T.Q8_0, w, 32, 4, x, 2), // x too short for m rows
      () => matmul(T.Q8_0, w, 32, 4, x, 0), // m = 0
      () => matmul(T.Q8_0, w, 32, 4, x, 1.5),
      () => matmul(T.Q8_0, w, Number.NaN, 4, x, 1),
      () => matmul(T.Q8_0, new Float32Array(40) as unknown as Uint8Array, 32, 4, x, 1),
      () => matmul(T.Q8_0, w, 32, 4, new Float64Array(32) as unknown as Float32Array, 1),
      () => matmul('8' as unknown as number, w, 32, 4, x, 1),
    ];
    for (const c of cases) expect(codeOf(c)).toBe(BAD);
    try {
      matmul(T.Q8_0, w, 33, 4, x, 1);
    } catch (err) {
      expect(err).toBeInstanceOf(TypeError);
    }
  });

  it('other ops validate sizes, ids and options', () => {
    expect(codeOf(() => rmsNorm(new Float32Array(3), null, 1, 4, 1e-5))).toBe(BAD);
    expect(codeOf(() => rmsNorm(new Float32Array(4), new Float32Array(2), 1, 4, 1e-5))).toBe(BAD);
    expect(codeOf(() => getRows(T.Q8_0, w, 32, 4, Int32Array.from([4])))).toBe(BAD);
    expect(codeOf(() => getRows(T.Q8_0, w, 32, 4, Int32Array.from([-1])))).toBe(BAD);
    expect(codeOf(() => softmax(new Float32Array(5), 2, 3))).toBe(BAD);
    expect(codeOf(() => dequantize(T.Q4_K, new Uint8Array(100), 256))).toBe(BAD);
    expect(codeOf(() => rope(new Float32Array(8), Int32Array.from([0]), 1, 1, 8, { nRot: 3 }))).toBe(BAD);
    expect(codeOf(() => rope(new Float32Array(8), Int32Array.from([0]), 1, 1, 8, { extFactor: 1 }))).toBe(BAD);
    expect(codeOf(() => rope(new Float32Array(8), new Int32Array(0), 1, 1, 8))).toBe(BAD);
    const one = Int32Array.from([0]);
    expect(codeOf(() => rope(new Float32Array(8), one, 1, 1, 8, { freqFactors: new Float32Array(3).fill(1) }))).toBe(
      BAD,
    );
    expect(
      codeOf(() => rope(new Float32Array(8), one, 1, 1, 8, { freqFactors: Float32Array.from([1, 0, 1, 1]) })),
    ).toBe(BAD);
    expect(codeOf(() => rope(new Float32Array(8), one, 1, 1, 8, { freqFactors: [1, 1, 1, 1] as never }))).toBe(BAD);
    expect(codeOf(() => setNumThreads(0))).toBe(BAD);
    expect(codeOf(() => setIsa('sse9' as 'generic'))).toBe(BAD);
  });
});

describe('binding loader', () => {
  it('lists every path tried with its reason when none loads', () => {
    let err: unknown;
    try {
      loadBindingFrom(['/nonexistent/a.node', '/etc/hostname']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NativeError);
    const ne = err as NativeError;
    expect(ne.code).toBe('DTE_ERR_NATIVE_LOAD');
    expect(ne.attempts.map((a) => a.path)).toEqual(['/nonexistent/a.node', '/etc/hostname']);
    expect(ne.attempts[0]?.reason).toBe('file not found');
    expect(ne.attempts[1]?.reason.length).toBeGreaterThan(0);
  });

  it('tries the env override first, then build/Release, then build/Debug', () => {
    const c = bindingCandidates({ DTE_NATIVE_BINDING: '/x/y.node' });
    expect(c[0]).toBe('/x/y.node');
    expect(c[1]).toMatch(/build\/Release\/dte_native\.node$/);
    expect(c[2]).toMatch(/build\/Debug\/dte_native\.node$/);
  });
});

describe('threads and ISA selection', () => {
  it('setNumThreads changes the pool size and cpuInfo reports it', () => {
    const before = getNumThreads();
    expect(setNumThreads(3)).toBe(3);
    expect(cpuInfo().threads).toBe(3);
    setNumThreads(before);
    expect(getNumThreads()).toBe(before);
  });

  it('setIsa switches the reported path; DTE_NATIVE_ISA=generic forces generic at load', () => {
    const info = cpuInfo();
    expect(info.available).toContain('generic');
    for (const isa of info.available) expect(setIsa(isa)).toBe(isa);
    expect(cpuInfo().isa).toBe(info.available[info.available.length - 1]);
    if (!info.features.avx2) expect(codeOf(() => setIsa('avx2'))).toBe('DTE_ERR_NATIVE_ISA_UNAVAILABLE');
    if (!info.features.amxInt8) expect(codeOf(() => setIsa('amx'))).toBe('DTE_ERR_NATIVE_ISA_UNAVAILABLE');
    expect(codeOf(() => setIsa('sse9' as never))).toBe('DTE_ERR_NATIVE_BAD_ARGUMENT');
    const path = bindingCandidates().find((p) => p.includes('Release')) as string;
    const script = `console.log(require(${JSON.stringify(path)}).cpuInfo().isa)`;
    const forced = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, DTE_NATIVE_ISA: 'generic' } });
    expect(forced.stdout.toString().trim()).toBe('generic');
    if (info.available.includes('amx')) {
      // The default is the highest path; DTE_NATIVE_ISA=avx2 keeps AMX off.
      const plain = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, DTE_NATIVE_ISA: '' } });
      expect(plain.stdout.toString().trim()).toBe('amx');
      const avx2 = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, DTE_NATIVE_ISA: 'avx2' } });
      expect(avx2.stdout.toString().trim()).toBe('avx2');
    }
  });

  it('DTE_NATIVE_ISA forces a path the CPU runs and rejects any other name with a typed error', () => {
    const binding = loadBindingFrom(bindingCandidates());
    const before = binding.cpuInfo().isa;
    try {
      applyForcedIsa(binding, { DTE_NATIVE_ISA: 'generic' });
      expect(binding.cpuInfo().isa).toBe('generic');
      applyForcedIsa(binding, { DTE_NATIVE_ISA: '' });
      expect(binding.cpuInfo().isa).toBe('generic'); // empty: nothing forced, nothing changed
      for (const name of ['avx9', 'AVX2 ', 'sse4']) {
        expect(codeOf(() => applyForcedIsa(binding, { DTE_NATIVE_ISA: name }))).toBe('DTE_ERR_NATIVE_ISA_UNAVAILABLE');
      }
      if (!binding.cpuInfo().available.includes('amx')) {
        expect(codeOf(() => applyForcedIsa(binding, { DTE_NATIVE_ISA: 'amx' }))).toBe('DTE_ERR_NATIVE_ISA_UNAVAILABLE');
      }
    } finally {
      binding.setIsa(before);
    }
  });

  it('DTE_NUM_THREADS sets the default pool size at load', () => {
    const path = bindingCandidates().find((p) => p.includes('Release')) as string;
    const script = `console.log(require(${JSON.stringify(path)}).getNumThreads())`;
    const run = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, DTE_NUM_THREADS: '3' } });
    expect(run.stdout.toString().trim()).toBe('3');
  });
});

describe('oversized shapes', () => {
  it('reject products that would overflow instead of allocating or wrapping', () => {
    expect(codeOf(() => matmul(T.F32, new Uint8Array(4), 1, 2 ** 31, new Float32Array(1), 2 ** 31))).toBe(BAD);
    expect(codeOf(() => matmul(T.F32, new Uint8Array(4), 2 ** 40, 1, new Float32Array(1), 1))).toBe(BAD);
    expect(codeOf(() => softmax(new Float32Array(1), 2 ** 31, 2 ** 31))).toBe(BAD);
    expect(codeOf(() => rmsNorm(new Float32Array(1), null, 2 ** 30, 2 ** 30, 1e-5))).toBe(BAD);
  });
});
