import { createPrng } from '@dte/echo-kit';
import { dtesnError } from '../DtesnError.ts';

/** A NARMA input/output pair, both of length T. */
export interface NarmaSeries {
  u: Float64Array;
  y: Float64Array;
}

/**
 * NARMA task with ReservoirPy's conventions (`datasets.narma`): u ~ U[0, 0.5] and
 *
 *   y[t+1] = 0.3·y[t] + 0.05·y[t]·Σ_{i=1..order} y[t−i] + 1.5·u[t−order]·u[t] + 0.1,
 *
 * computed over T + order samples from y = 0, returning the last T of each.
 *
 * @example
 * ```ts
 * const { u, y } = narma(2000, 10, 1);
 * ```
 */
export function narma(steps: number, order = 10, seed = 0): NarmaSeries {
  if (!Number.isInteger(steps) || steps <= 0 || !Number.isInteger(order) || order <= 0) {
    throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'narma', 'steps and order must be positive integers');
  }
  const rng = createPrng(seed);
  const total = steps + order;
  const u = new Float64Array(total);
  for (let t = 0; t < total; t++) u[t] = rng.next() * 0.5;
  const y = new Float64Array(total);
  for (let t = order; t < total - 1; t++) {
    let sum = 0;
    for (let i = t - order; i < t; i++) sum += y[i]!;
    y[t + 1] = 0.3 * y[t]! + 0.05 * y[t]! * sum + 1.5 * u[t - order]! * u[t]! + 0.1;
  }
  return { u: u.slice(order), y: y.slice(order) };
}
