import { dtesnError } from '../DtesnError.ts';
import { choleskySolve } from './choleskySolve.ts';

/**
 * A linear readout y = W_out·[1; x] fitted by ridge regression in closed form:
 * W_out = (ZᵀZ + λI)⁻¹ ZᵀY with Z = [1, X] (the bias is a column of ones, as in
 * ReservoirPy's Ridge). Sufficient statistics are accumulated in Float64 so long
 * runs can be fed in chunks (`partialFit`) before one Cholesky solve (`fit`).
 *
 * @example
 * ```ts
 * const ro = new RidgeReadout(100, 1, 1e-6);
 * ro.partialFit(states, targets, 100); // washout 100 rows
 * ro.fit();
 * const y = ro.predict(esn.state);
 * ```
 */
export class RidgeReadout {
  /** (F + 1) × O weights, row 0 is the bias; null until fitted. */
  weights: Float64Array | null = null;
  private readonly zz: Float64Array;
  private readonly zy: Float64Array;
  private readonly block: Float64Array;
  private numRows = 0;

  constructor(
    readonly featureDim: number,
    readonly outputDim: number,
    readonly ridge: number,
  ) {
    if (!Number.isInteger(featureDim) || featureDim <= 0 || !Number.isInteger(outputDim) || outputDim <= 0) {
      throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'RidgeReadout', 'dimensions must be positive integers');
    }
    if (!(ridge >= 0) || !Number.isFinite(ridge)) {
      throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'RidgeReadout', 'ridge must be finite and >= 0');
    }
    const f1 = featureDim + 1;
    this.zz = new Float64Array(f1 * f1);
    this.zy = new Float64Array(f1 * outputDim);
    this.block = new Float64Array(RidgeReadout.BLOCK * f1);
  }

  private static readonly BLOCK = 8;

  /** Number of rows accumulated so far. */
  get rows(): number {
    return this.numRows;
  }

  /** Forgets every accumulated row (keeps the weights). */
  clear(): void {
    this.zz.fill(0);
    this.zy.fill(0);
    this.numRows = 0;
  }

  /**
   * Accumulates rows of X (T × F) and Y (T × O), skipping the first `washout` rows.
   */
  partialFit(x: Float64Array, y: Float64Array, washout = 0): this {
    const f = this.featureDim;
    const o = this.outputDim;
    const f1 = f + 1;
    const steps = x.length / f;
    if (!Number.isInteger(steps) || y.length !== steps * o) {
      throw dtesnError(
        'DTE_ERR_DTESN_SHAPE_MISMATCH',
        'RidgeReadout.partialFit',
        `T×${f} and T×${o}`,
        `${x.length}, ${y.length}`,
      );
    }
    if (!Number.isInteger(washout) || washout < 0) {
      throw dtesnError(
        'DTE_ERR_DTESN_BAD_ARGUMENT',
        'RidgeReadout.partialFit',
        'washout must be a non-negative integer',
      );
    }
    const zz = this.zz;
    const zy = this.zy;
    const blk = this.block;
    for (let t0 = washout; t0 < steps; t0 += RidgeReadout.BLOCK) {
      const nb = Math.min(RidgeReadout.BLOCK, steps - t0);
      for (let b = 0; b < nb; b++) {
        blk[b * f1] = 1;
        blk.set(x.subarray((t0 + b) * f, (t0 + b + 1) * f), b * f1 + 1);
      }
      // Upper triangle of ZᵀZ, nb rows at a time (keeps the big matrix traffic low).
      for (let i = 0; i < f1; i++) {
        const row = i * f1;
        if (nb === 8) {
          // Hot path: eight rows unrolled, the i-th entries held in registers.
          const o1 = f1;
          const o2 = 2 * f1;
          const o3 = 3 * f1;
          const o4 = 4 * f1;
          const o5 = 5 * f1;
          const o6 = 6 * f1;
          const o7 = 7 * f1;
          const a0 = blk[i]!;
          const a1 = blk[o1 + i]!;
          const a2 = blk[o2 + i]!;
          const a3 = blk[o3 + i]!;
          const a4 = blk[o4 + i]!;
          const a5 = blk[o5 + i]!;
          const a6 = blk[o6 + i]!;
          const a7 = blk[o7 + i]!;
          for (let j = i; j < f1; j++) {
            zz[row + j]! +=
              a0 * blk[j]! +
              a1 * blk[o1 + j]! +
              a2 * blk[o2 + j]! +
              a3 * blk[o3 + j]! +
              a4 * blk[o4 + j]! +
              a5 * blk[o5 + j]! +
              a6 * blk[o6 + j]! +
              a7 * blk[o7 + j]!;
          }
        } else {
          for (let j = i; j < f1; j++) {
            let s = 0;
            for (let b = 0; b < nb; b++) s += blk[b * f1 + i]! * blk[b * f1 + j]!;
            zz[row + j]! += s;
          }
        }
        for (let c = 0; c < o; c++) {
          let s = 0;
          for (let b = 0; b < nb; b++) s += blk[b * f1 + i]! * y[(t0 + b) * o + c]!;
          zy[i * o + c]! += s;
        }
      }
    }
    this.numRows += Math.max(0, steps - washout);
    return this;
  }

  /** Solves for the weights from everything accumulated. */
  fit(): this {
    const f1 = this.featureDim + 1;
    const a = Float64Array.from(this.zz);
    for (let i = 0; i < f1; i++) a[i * f1 + i]! += this.ridge;
    this.weights = choleskySolve(a, this.zy, f1, this.outputDim);
    return this;
  }

  /**
   * Solves one ridge problem over the summed statistics of several readouts with the
   * same features, taking the listed output columns of each (all lists equally long).
   * Lets two heads that share rows share one ZᵀZ (and one factorisation).
   */
  static solveSummed(parts: readonly { readout: RidgeReadout; columns: readonly number[] }[]): Float64Array {
    const first = parts[0];
    if (first === undefined) throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'RidgeReadout.solveSummed', 'no parts');
    const f1 = first.readout.featureDim + 1;
    const k = first.columns.length;
    const a = new Float64Array(f1 * f1);
    const b = new Float64Array(f1 * k);
    for (const { readout, columns } of parts) {
      if (readout.featureDim + 1 !== f1 || columns.length !== k) {
        throw dtesnError(
          'DTE_ERR_DTESN_SHAPE_MISMATCH',
          'RidgeReadout.solveSummed',
          `${f1 - 1} features, ${k} columns`,
          columns.length,
        );
      }
      for (let i = 0; i < a.length; i++) a[i]! += readout.zz[i]!;
      const o = readout.outputDim;
      for (let i = 0; i < f1; i++) {
        for (let c = 0; c < k; c++) b[i * k + c]! += readout.zy[i * o + columns[c]!]!;
      }
    }
    for (let i = 0; i < f1; i++) a[i * f1 + i]! += first.readout.ridge;
    return choleskySolve(a, b, f1, k);
  }

  /** Accumulates and fits in one call (clears earlier rows first). */
  fitBatch(x: Float64Array, y: Float64Array, washout = 0): this {
    this.clear();
    return this.partialFit(x, y, washout).fit();
  }

  /** y = W_out·[1; x] for one feature vector read at `offset`. */
  predict(x: ArrayLike<number>, offset = 0, out: Float64Array = new Float64Array(this.outputDim)): Float64Array {
    const w = this.weights;
    if (w === null) throw dtesnError('DTE_ERR_DTESN_NOT_TRAINED', 'RidgeReadout.predict');
    const o = this.outputDim;
    const f = this.featureDim;
    for (let c = 0; c < o; c++) out[c] = w[c]!;
    for (let i = 0; i < f; i++) {
      const xi = x[offset + i]!;
      if (xi === 0) continue;
      const row = (i + 1) * o;
      for (let c = 0; c < o; c++) out[c]! += w[row + c]! * xi;
    }
    return out;
  }

  /** Predictions for every row of X (T × F) → T × O. */
  predictBatch(x: Float64Array): Float64Array {
    const steps = x.length / this.featureDim;
    if (!Number.isInteger(steps)) {
      throw dtesnError('DTE_ERR_DTESN_SHAPE_MISMATCH', 'RidgeReadout.predictBatch', `T×${this.featureDim}`, x.length);
    }
    const out = new Float64Array(steps * this.outputDim);
    const tmp = new Float64Array(this.outputDim);
    for (let t = 0; t < steps; t++) out.set(this.predict(x, t * this.featureDim, tmp), t * this.outputDim);
    return out;
  }
}
