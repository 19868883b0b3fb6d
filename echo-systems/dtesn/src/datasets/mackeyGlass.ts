import { createPrng } from '@dte/echo-kit';
import { dtesnError } from '../DtesnError.ts';

/** Options of {@link mackeyGlass} (ReservoirPy's `datasets.mackey_glass` defaults). */
export interface MackeyGlassOptions {
  tau?: number;
  a?: number;
  b?: number;
  n?: number;
  x0?: number;
  /** Integration (and sampling) step. */
  h?: number;
  /** Seed of the jittered initial history. */
  seed?: number;
}

/**
 * The Mackey-Glass delay differential equation
 * dx/dt = a·x(t−τ)/(1 + x(t−τ)ⁿ) − b·x(t), integrated with RK4 at step h
 * where the delayed term is held from a history queue of ⌊τ/h⌋ samples,
 * initialised to x0 + 0.2·(U[0,1) − 0.5) — the same discretisation as ReservoirPy.
 *
 * @example
 * ```ts
 * const x = mackeyGlass(2000, { seed: 0 }); // Float64Array, x[0] = 1.2
 * ```
 */
export function mackeyGlass(steps: number, options: MackeyGlassOptions = {}): Float64Array {
  const { tau = 17, a = 0.2, b = 0.1, n = 10, x0 = 1.2, h = 1, seed = 0 } = options;
  if (!Number.isInteger(steps) || steps < 0 || !(h > 0) || !(tau >= 0)) {
    throw dtesnError(
      'DTE_ERR_DTESN_BAD_ARGUMENT',
      'mackeyGlass',
      'steps must be a non-negative integer, h > 0, tau >= 0',
    );
  }
  const rng = createPrng(seed);
  const len = Math.floor(tau / h);
  const history = new Float64Array(Math.max(len, 1));
  for (let i = 0; i < len; i++) history[i] = x0 + 0.2 * (rng.next() - 0.5);
  let head = 0;
  const f = (x: number, xTau: number): number => -b * x + (a * xTau) / (1 + xTau ** n);
  const out = new Float64Array(steps);
  let x = x0;
  for (let i = 0; i < steps; i++) {
    out[i] = x;
    let xTau = 0;
    if (len > 0) {
      xTau = history[head]!;
      history[head] = x;
      head = (head + 1) % len;
    }
    const k1 = h * f(x, xTau);
    const k2 = h * f(x + 0.5 * k1, xTau);
    const k3 = h * f(x + 0.5 * k2, xTau);
    const k4 = h * f(x + k3, xTau);
    x = x + k1 / 6 + k2 / 3 + k3 / 3 + k4 / 6;
  }
  return out;
}
