import { createPrng } from '@dte/echo-kit';
import { dtesnError } from '../DtesnError.ts';
import { squaredCorrelation } from '../datasets/metrics.ts';
import { RidgeReadout } from './RidgeReadout.ts';

/** Anything that maps a scalar input sequence to T × units states. */
export interface StateRunner {
  readonly units: number;
  run(inputs: Float64Array): Float64Array;
}

/** Options of {@link memoryCapacity}. */
export interface MemoryCapacityOptions {
  /** Largest delay k (default 2·units). */
  maxDelay?: number;
  trainLength?: number;
  testLength?: number;
  washout?: number;
  ridge?: number;
  seed?: number;
}

/**
 * Jaeger's short-term memory capacity MC = Σ_k r²(u(t−k), ŷ_k(t)), k = 1..maxDelay,
 * for an i.i.d. U[−1, 1] input: one ridge readout per delay (trained together),
 * r² measured on held-out test steps. Returns the total and the per-delay curve.
 *
 * @example
 * ```ts
 * const { total } = memoryCapacity(new Esn({ units: 100, inputDim: 1, inputScaling: 0.1 }));
 * ```
 */
export function memoryCapacity(
  reservoir: StateRunner,
  options: MemoryCapacityOptions = {},
): { total: number; perDelay: number[] } {
  const n = reservoir.units;
  const { maxDelay = 2 * n, trainLength = 4000, testLength = 2000, washout = 200, ridge = 1e-8, seed = 0 } = options;
  if (!Number.isInteger(maxDelay) || maxDelay <= 0 || washout < maxDelay) {
    throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'memoryCapacity', 'need 0 < maxDelay <= washout');
  }
  const total = trainLength + testLength;
  const rng = createPrng(seed);
  const u = new Float64Array(total);
  for (let t = 0; t < total; t++) u[t] = rng.next() * 2 - 1;
  const states = reservoir.run(u);
  const targets = new Float64Array(total * maxDelay);
  for (let t = maxDelay; t < total; t++) {
    for (let k = 1; k <= maxDelay; k++) targets[t * maxDelay + k - 1] = u[t - k]!;
  }
  const readout = new RidgeReadout(n, maxDelay, ridge);
  readout.partialFit(states.subarray(0, trainLength * n), targets.subarray(0, trainLength * maxDelay), washout).fit();
  const pred = readout.predictBatch(states.subarray(trainLength * n));
  const perDelay: number[] = [];
  const a = new Float64Array(testLength);
  const b = new Float64Array(testLength);
  for (let k = 0; k < maxDelay; k++) {
    for (let t = 0; t < testLength; t++) {
      a[t] = targets[(trainLength + t) * maxDelay + k]!;
      b[t] = pred[t * maxDelay + k]!;
    }
    perDelay.push(squaredCorrelation(a, b));
  }
  return { total: perDelay.reduce((s, v) => s + v, 0), perDelay };
}
