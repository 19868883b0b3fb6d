import { createPrng } from '@dte/echo-kit';
import { dtesnError } from '../DtesnError.ts';
import { SparseMatrix } from './SparseMatrix.ts';

/** Hyper-parameters of a leaky echo-state reservoir (ReservoirPy names in brackets). */
export interface EsnOptions {
  /** Number of reservoir units N [units]. */
  units: number;
  /** Input dimension. */
  inputDim: number;
  /** Spectral radius W is scaled to; `null` keeps the raw N(0,1) weights [sr]. Default 0.9. */
  spectralRadius?: number | null;
  /** Leak rate a in (0, 1] [lr]. Default 1. */
  leakRate?: number;
  /** Scale of W_in (one value or one per input) [input_scaling]. Default 1. */
  inputScaling?: number | readonly number[];
  /** Scale of the bias b [bias_scaling]. Default 1. */
  biasScaling?: number;
  /** Density of W [rc_connectivity]. Default 0.1. */
  connectivity?: number;
  /** Density of W_in [input_connectivity]. Default 0.1. */
  inputConnectivity?: number;
  /** Dimension of the feedback signal (0 = none). Default 0. */
  feedbackDim?: number;
  /** Scale of W_fb [fb_scaling]. Default 1. */
  feedbackScaling?: number;
  /** Seed of every random weight. Default 0. */
  seed?: number;
}

/**
 * A leaky echo-state reservoir:
 *
 *   x' = (1 − a)·x + a·tanh(W·x + W_in·u + W_fb·y + b)
 *
 * W is sparse (CSR) and scaled to a spectral radius; W_in, W_fb and b are dense
 * with zeros drawn uniformly in [−1, 1] times their scalings. `step` allocates nothing.
 *
 * @example
 * ```ts
 * const esn = new Esn({ units: 100, inputDim: 1, spectralRadius: 1.25, leakRate: 0.3, seed: 1 });
 * const states = esn.run(Float64Array.from(signal)); // T × 100
 * ```
 */
export class Esn {
  readonly units: number;
  readonly inputDim: number;
  readonly feedbackDim: number;
  readonly leakRate: number;
  readonly w: SparseMatrix;
  /** W_in, row-major units × inputDim (a dense copy; `step` uses a CSR form built at construction). */
  readonly wIn: Float64Array;
  /** W_fb, row-major units × feedbackDim. */
  readonly wFb: Float64Array;
  readonly bias: Float64Array;
  /** The current state x (live view; copy it to keep it). */
  readonly state: Float64Array;
  private readonly pre: Float64Array;
  // W_in's non-zeros in CSR form: the step skips the zeros of a sparse input matrix.
  private readonly inPtr: Int32Array;
  private readonly inCol: Int32Array;
  private readonly inVal: Float64Array;

  constructor(options: EsnOptions) {
    const { units, inputDim } = options;
    const leak = options.leakRate ?? 1;
    const seed = options.seed ?? 0;
    const fbDim = options.feedbackDim ?? 0;
    const check = (ok: boolean, what: string): void => {
      if (!ok) throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'Esn', what);
    };
    check(Number.isInteger(units) && units > 0, 'units must be a positive integer');
    check(Number.isInteger(inputDim) && inputDim >= 0, 'inputDim must be a non-negative integer');
    check(Number.isInteger(fbDim) && fbDim >= 0, 'feedbackDim must be a non-negative integer');
    check(leak > 0 && leak <= 1, 'leakRate must be in (0, 1]');
    const sr = options.spectralRadius === undefined ? 0.9 : options.spectralRadius;
    check(sr === null || (Number.isFinite(sr) && sr >= 0), 'spectralRadius must be finite and >= 0');
    const scaling = options.inputScaling ?? 1;
    const scales = typeof scaling === 'number' ? new Array<number>(inputDim).fill(scaling) : [...scaling];
    check(scales.length === inputDim && scales.every(Number.isFinite), 'inputScaling needs one finite value per input');
    const rng = createPrng(seed);
    this.units = units;
    this.inputDim = inputDim;
    this.feedbackDim = fbDim;
    this.leakRate = leak;
    this.w = SparseMatrix.random(units, options.connectivity ?? 0.1, rng);
    if (sr !== null) {
      const rho = this.w.spectralRadius(units <= 200 ? 1500 : 600, seed + 1);
      this.w.scale(rho > 0 ? sr / rho : 0);
    }
    const dense = (rows: number, cols: number, density: number, colScale: (j: number) => number): Float64Array => {
      check(density > 0 && density <= 1, 'connectivity values must be in (0, 1]');
      const m = new Float64Array(rows * cols);
      for (let i = 0; i < m.length; i++) {
        if (rng.next() < density) m[i] = (rng.next() * 2 - 1) * colScale(i % cols);
      }
      return m;
    };
    this.wIn = dense(units, inputDim, options.inputConnectivity ?? 0.1, (j) => scales[j]!);
    const fbScale = options.feedbackScaling ?? 1;
    this.wFb = dense(units, fbDim, 1, () => fbScale);
    const biasScale = options.biasScaling ?? 1;
    this.bias = new Float64Array(units);
    for (let i = 0; i < units; i++) this.bias[i] = (rng.next() * 2 - 1) * biasScale;
    this.state = new Float64Array(units);
    this.pre = new Float64Array(units);
    let nnz = 0;
    for (const v of this.wIn) if (v !== 0) nnz++;
    this.inPtr = new Int32Array(units + 1);
    this.inCol = new Int32Array(nnz);
    this.inVal = new Float64Array(nnz);
    let k = 0;
    for (let i = 0; i < units; i++) {
      this.inPtr[i] = k;
      for (let j = 0; j < inputDim; j++) {
        const v = this.wIn[i * inputDim + j]!;
        if (v !== 0) {
          this.inCol[k] = j;
          this.inVal[k++] = v;
        }
      }
    }
    this.inPtr[units] = k;
  }

  /** Resets the state to zeros (or to a given state). */
  reset(state?: ArrayLike<number>): void {
    if (state === undefined) this.state.fill(0);
    else {
      if (state.length !== this.units) {
        throw dtesnError('DTE_ERR_DTESN_SHAPE_MISMATCH', 'Esn.reset', this.units, state.length);
      }
      this.state.set(state);
    }
  }

  /**
   * Advances one step with input `u` (read from `u[offset..offset+inputDim)`) and
   * optional feedback `y`; returns the live state array.
   */
  step(u: ArrayLike<number>, offset = 0, feedback?: ArrayLike<number>): Float64Array {
    const n = this.units;
    // Four accumulators per row: measured ~20% faster than one at N = 1000 (per CPU-second).
    const { rowPtr, colIdx, values } = this.w;
    const x = this.state;
    const pre = this.pre;
    const { inPtr, inCol, inVal } = this;
    const bias = this.bias;
    for (let i = 0; i < n; i++) {
      let s = bias[i]!;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      const end = rowPtr[i + 1]!;
      let k = rowPtr[i]!;
      for (; k + 3 < end; k += 4) {
        s += values[k]! * x[colIdx[k]!]!;
        s1 += values[k + 1]! * x[colIdx[k + 1]!]!;
        s2 += values[k + 2]! * x[colIdx[k + 2]!]!;
        s3 += values[k + 3]! * x[colIdx[k + 3]!]!;
      }
      for (; k < end; k++) s += values[k]! * x[colIdx[k]!]!;
      s += s1 + s2 + s3;
      const inEnd = inPtr[i + 1]!;
      for (let q = inPtr[i]!; q < inEnd; q++) s += inVal[q]! * u[offset + inCol[q]!]!;
      pre[i] = s;
    }
    if (feedback !== undefined && this.feedbackDim > 0) {
      const f = this.feedbackDim;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < f; j++) s += this.wFb[i * f + j]! * feedback[j]!;
        pre[i]! += s;
      }
    }
    const a = this.leakRate;
    if (a === 1) {
      for (let i = 0; i < n; i++) x[i] = Math.tanh(pre[i]!);
    } else {
      const keep = 1 - a;
      for (let i = 0; i < n; i++) x[i] = keep * x[i]! + a * Math.tanh(pre[i]!);
    }
    return x;
  }

  /**
   * Runs over a whole sequence (row-major T × inputDim) and returns every state
   * (row-major T × units). Continues from the current state.
   */
  run(inputs: Float64Array): Float64Array {
    const d = this.inputDim;
    if (d === 0 || inputs.length % d !== 0) {
      throw dtesnError('DTE_ERR_DTESN_SHAPE_MISMATCH', 'Esn.run', `a multiple of ${d} values`, inputs.length);
    }
    const steps = inputs.length / d;
    const out = new Float64Array(steps * this.units);
    for (let t = 0; t < steps; t++) out.set(this.step(inputs, t * d), t * this.units);
    return out;
  }
}
