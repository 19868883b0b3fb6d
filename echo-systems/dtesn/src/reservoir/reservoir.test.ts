import { createPrng } from '@dte/echo-kit';
import { describe, expect, it } from 'vitest';
import { mackeyGlass } from '../datasets/mackeyGlass.ts';
import { nrmse } from '../datasets/metrics.ts';
import { narma } from '../datasets/narma.ts';
import { choleskySolve } from './choleskySolve.ts';
import { DeepEsn } from './DeepEsn.ts';
import { Esn } from './Esn.ts';
import { freeRun } from './freeRun.ts';
import { memoryCapacity } from './memoryCapacity.ts';
import { RidgeReadout } from './RidgeReadout.ts';
import { SparseMatrix } from './SparseMatrix.ts';

describe('SparseMatrix', () => {
  it('has the requested density and a power-iteration spectral radius near the truth', () => {
    const w = SparseMatrix.random(200, 0.1, createPrng(1));
    expect(w.nnz).toBe(200 * 20);
    // Circular law: ρ ≈ σ·√(n·density) = √20 for N(0,1) entries.
    expect(w.spectralRadius()).toBeGreaterThan(0.85 * Math.sqrt(20));
    expect(w.spectralRadius()).toBeLessThan(1.15 * Math.sqrt(20));
  });
  it('finds the radius of a rotation-like matrix with a complex dominant pair', () => {
    // [[0, -2], [2, 0]] has eigenvalues ±2i.
    const m = new SparseMatrix(2, Int32Array.of(0, 1, 2), Int32Array.of(1, 0), Float64Array.of(-2, 2));
    expect(m.spectralRadius()).toBeCloseTo(2, 6);
  });
});

describe('choleskySolve', () => {
  it('solves a small SPD system', () => {
    const x = choleskySolve(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 1), 2, 1);
    // 4x + 2y = 2, 2x + 3y = 1 → x = 0.5, y = 0
    expect(x[0]).toBeCloseTo(0.5, 12);
    expect(x[1]).toBeCloseTo(0, 12);
  });
  it('rejects a singular matrix with a typed error', () => {
    expect(() => choleskySolve(Float64Array.of(1, 1, 1, 1), Float64Array.of(1, 1), 2, 1)).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_DTESN_SINGULAR' }),
    );
  });
});

describe('RidgeReadout', () => {
  it('recovers a linear map with bias', () => {
    const rng = createPrng(2);
    const x = new Float64Array(300 * 3).map(() => rng.next() * 2 - 1);
    const y = new Float64Array(300 * 2);
    for (let t = 0; t < 300; t++) {
      y[t * 2] = 1 + 2 * x[t * 3]! - x[t * 3 + 2]!;
      y[t * 2 + 1] = -0.5 + 3 * x[t * 3 + 1]!;
    }
    const ro = new RidgeReadout(3, 2, 1e-9).fitBatch(x, y, 10);
    expect(ro.rows).toBe(290);
    const p = ro.predict(Float64Array.of(0.5, -1, 0.25));
    expect(p[0]).toBeCloseTo(1 + 1 - 0.25, 6);
    expect(p[1]).toBeCloseTo(-0.5 - 3, 6);
  });
  it('solves over summed statistics like one fit over all rows', () => {
    const rng = createPrng(8);
    const x = new Float64Array(64 * 3).map(() => rng.next() - 0.5);
    const y = new Float64Array(64 * 2).map(() => rng.next());
    const all = new RidgeReadout(3, 2, 1e-3).fitBatch(x, y);
    const a = new RidgeReadout(3, 2, 1e-3).partialFit(x.subarray(0, 30 * 3), y.subarray(0, 30 * 2));
    // The second part carries its outputs in swapped columns.
    const ySwapped = new Float64Array(34 * 2);
    for (let t = 0; t < 34; t++) {
      ySwapped[t * 2] = y[(30 + t) * 2 + 1]!;
      ySwapped[t * 2 + 1] = y[(30 + t) * 2]!;
    }
    const b = new RidgeReadout(3, 2, 1e-3).partialFit(x.subarray(30 * 3), ySwapped);
    const w = RidgeReadout.solveSummed([
      { readout: a, columns: [0, 1] },
      { readout: b, columns: [1, 0] },
    ]);
    for (let i = 0; i < w.length; i++) expect(w[i]).toBeCloseTo(all.weights![i]!, 10);
  });

  it('refuses to predict before fitting', () => {
    expect(() => new RidgeReadout(2, 1, 1).predict([0, 0])).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_DTESN_NOT_TRAINED' }),
    );
  });
});

describe('Esn', () => {
  it('follows the leaky-tanh update exactly', () => {
    const esn = new Esn({ units: 5, inputDim: 1, leakRate: 0.3, seed: 4, connectivity: 0.4, inputConnectivity: 1 });
    esn.state.set([0.1, -0.2, 0.3, 0, 0.05]);
    const x0 = Float64Array.from(esn.state);
    const wx = esn.w.multiply(x0, new Float64Array(5));
    esn.step([0.7]);
    for (let i = 0; i < 5; i++) {
      const expected = 0.7 * x0[i]! + 0.3 * Math.tanh(wx[i]! + esn.wIn[i]! * 0.7 + esn.bias[i]!);
      expect(esn.state[i]).toBeCloseTo(expected, 12);
    }
  });
  it('is reproducible by seed and different across seeds', () => {
    const u = Float64Array.from({ length: 50 }, (_, t) => Math.sin(t / 3));
    const a = new Esn({ units: 30, inputDim: 1, seed: 5 }).run(u);
    const b = new Esn({ units: 30, inputDim: 1, seed: 5 }).run(u);
    const c = new Esn({ units: 30, inputDim: 1, seed: 6 }).run(u);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
  it('predicts Mackey-Glass one step ahead (N = 50)', () => {
    const x = mackeyGlass(1201);
    const esn = new Esn({ units: 50, inputDim: 1, spectralRadius: 1.25, leakRate: 0.3, inputConnectivity: 1, seed: 1 });
    const states = esn.run(x.subarray(0, 1200));
    const ro = new RidgeReadout(50, 1, 1e-6).fitBatch(states.subarray(0, 900 * 50), x.slice(1, 901), 100);
    const p = ro.predictBatch(states.subarray(900 * 50));
    expect(nrmse(x.subarray(901), p)).toBeLessThan(0.05);
  });
  it('free-runs on its own predictions (generative mode)', () => {
    const x = mackeyGlass(1400).map((v) => v - 0.9);
    const esn = new Esn({ units: 80, inputDim: 1, spectralRadius: 1.25, leakRate: 0.3, inputConnectivity: 1, seed: 2 });
    const states = esn.run(x.subarray(0, 1200));
    const ro = new RidgeReadout(80, 1, 1e-9).fitBatch(states, x.slice(1, 1201), 100);
    const future = freeRun(esn, ro, x.subarray(1200, 1201), 20);
    expect(future).toHaveLength(20);
    expect(nrmse(x.subarray(1201, 1221), future)).toBeLessThan(0.1);
    expect(() => freeRun(esn, ro, [1, 2], 5)).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_DTESN_SHAPE_MISMATCH' }),
    );
  });

  it('uses feedback when given', () => {
    const esn = new Esn({ units: 10, inputDim: 1, feedbackDim: 1, seed: 7 });
    const a = Float64Array.from(esn.step([0.1], 0, [0]));
    esn.reset();
    const b = Float64Array.from(esn.step([0.1], 0, [1]));
    expect(a).not.toEqual(b);
  });
  it('rejects bad options with typed errors', () => {
    expect(() => new Esn({ units: 0, inputDim: 1 })).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_DTESN_BAD_ARGUMENT' }),
    );
    expect(() => new Esn({ units: 5, inputDim: 1, leakRate: 2 })).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_DTESN_BAD_ARGUMENT' }),
    );
  });
});

describe('datasets and memory capacity', () => {
  it('generates Mackey-Glass like ReservoirPy (x0 first, bounded chaos)', () => {
    const x = mackeyGlass(3000, { seed: 1 });
    expect(x[0]).toBe(1.2);
    const tail = x.subarray(500);
    expect(Math.min(...tail)).toBeGreaterThan(0.2);
    expect(Math.max(...tail)).toBeLessThan(1.5);
    expect(mackeyGlass(100, { seed: 1 })).toEqual(x.subarray(0, 100));
  });
  it('generates NARMA-10 by its recurrence', () => {
    const { u, y } = narma(200, 10, 3);
    for (let t = 20; t < 199; t++) {
      let s = 0;
      for (let i = t - 10; i < t; i++) s += y[i]!;
      expect(y[t + 1]).toBeCloseTo(0.3 * y[t]! + 0.05 * y[t]! * s + 1.5 * u[t - 10]! * u[t]! + 0.1, 12);
    }
  });
  it('measures a memory capacity that grows with N and stays below N', () => {
    const opts = {
      spectralRadius: 0.99,
      inputScaling: 0.05,
      biasScaling: 0,
      inputConnectivity: 1,
      inputDim: 1,
      seed: 2,
    };
    const small = memoryCapacity(new Esn({ ...opts, units: 10 }), {
      trainLength: 2000,
      testLength: 1000,
      washout: 100,
      maxDelay: 40,
    });
    const big = memoryCapacity(new Esn({ ...opts, units: 40 }), {
      trainLength: 2000,
      testLength: 1000,
      washout: 100,
      maxDelay: 80,
    });
    expect(small.total).toBeLessThan(10.5);
    expect(big.total).toBeGreaterThan(small.total);
    expect(big.perDelay[0]).toBeGreaterThan(0.95);
  });
  it('runs a deep ESN over all layers', () => {
    const deep = new DeepEsn(1, [{ units: 8 }, { units: 6 }], 1);
    const s = deep.run(Float64Array.from({ length: 20 }, (_, t) => Math.cos(t)));
    expect(s).toHaveLength(20 * 14);
    expect(s.some((v) => v !== 0)).toBe(true);
  });
});
