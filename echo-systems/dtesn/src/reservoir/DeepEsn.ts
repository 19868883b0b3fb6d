import { dtesnError } from '../DtesnError.ts';
import { Esn, type EsnOptions } from './Esn.ts';
import { deriveSeed } from './gaussian.ts';

/** One layer's options; `inputDim` and `seed` are set by the stack. */
export type DeepEsnLayer = Omit<EsnOptions, 'inputDim' | 'seed'>;

/**
 * A deep (stacked) ESN: layer 1 reads the input, layer l reads layer l−1's state;
 * the exposed state is every layer's state concatenated (the readout sees all depths).
 *
 * @example
 * ```ts
 * const deep = new DeepEsn(1, Array(5).fill({ units: 20, spectralRadius: 0.9 }), 3);
 * const states = deep.run(u); // T × 100
 * ```
 */
export class DeepEsn {
  readonly layers: Esn[];
  /** Sum of the layers' units. */
  readonly units: number;
  readonly state: Float64Array;

  constructor(
    readonly inputDim: number,
    layers: readonly DeepEsnLayer[],
    seed = 0,
  ) {
    if (layers.length === 0) throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'DeepEsn', 'needs at least one layer');
    let dim = inputDim;
    this.layers = layers.map((opts, l) => {
      const esn = new Esn({ ...opts, inputDim: dim, seed: deriveSeed(seed, l) });
      dim = esn.units;
      return esn;
    });
    this.units = this.layers.reduce((s, e) => s + e.units, 0);
    this.state = new Float64Array(this.units);
  }

  /** Resets every layer to zeros. */
  reset(): void {
    for (const e of this.layers) e.reset();
    this.state.fill(0);
  }

  /** One step through the whole stack; returns the live concatenated state. */
  step(u: ArrayLike<number>, offset = 0): Float64Array {
    let input: ArrayLike<number> = u;
    let off = offset;
    let pos = 0;
    for (const e of this.layers) {
      const x = e.step(input, off);
      this.state.set(x, pos);
      pos += e.units;
      input = x;
      off = 0;
    }
    return this.state;
  }

  /** Runs a T × inputDim sequence → T × units states. */
  run(inputs: Float64Array): Float64Array {
    const d = this.inputDim;
    if (d === 0 || inputs.length % d !== 0) {
      throw dtesnError('DTE_ERR_DTESN_SHAPE_MISMATCH', 'DeepEsn.run', `a multiple of ${d} values`, inputs.length);
    }
    const steps = inputs.length / d;
    const out = new Float64Array(steps * this.units);
    for (let t = 0; t < steps; t++) out.set(this.step(inputs, t * d), t * this.units);
    return out;
  }
}
