import { dtesnError } from '../DtesnError.ts';
import type { Esn } from './Esn.ts';
import type { RidgeReadout } from './RidgeReadout.ts';

/**
 * Generative mode: the ESN runs on its own predictions. Starting from input `first`,
 * each step feeds the readout's output back as the next input, for `horizon` steps.
 * The readout must map the ESN state to its input dimension.
 *
 * @example
 * ```ts
 * const future = freeRun(esn, readout, Float64Array.of(x[t]), 84); // 84 × inputDim
 * ```
 */
export function freeRun(esn: Esn, readout: RidgeReadout, first: ArrayLike<number>, horizon: number): Float64Array {
  const d = esn.inputDim;
  if (readout.featureDim !== esn.units || readout.outputDim !== d || first.length !== d) {
    throw dtesnError(
      'DTE_ERR_DTESN_SHAPE_MISMATCH',
      'freeRun',
      `readout ${esn.units}→${d} and ${d} inputs`,
      first.length,
    );
  }
  if (!Number.isInteger(horizon) || horizon < 0) {
    throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'freeRun', 'horizon must be a non-negative integer');
  }
  const out = new Float64Array(horizon * d);
  const input = Float64Array.from(first);
  for (let h = 0; h < horizon; h++) {
    readout.predict(esn.step(input), 0, input);
    out.set(input, h * d);
  }
  return out;
}
