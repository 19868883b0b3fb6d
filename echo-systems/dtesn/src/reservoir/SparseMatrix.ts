import { createPrng, type Prng } from '@dte/echo-kit';
import { dtesnError } from '../DtesnError.ts';
import { gaussian } from './gaussian.ts';

/**
 * A square sparse matrix in CSR form (row pointers, column indices, values).
 *
 * @example
 * ```ts
 * const w = SparseMatrix.random(100, 0.1, createPrng(1));
 * w.scale(1.25 / w.spectralRadius());
 * ```
 */
export class SparseMatrix {
  constructor(
    /** Number of rows (= columns). */
    readonly size: number,
    /** rowPtr[i]..rowPtr[i+1] index the entries of row i. */
    readonly rowPtr: Int32Array,
    readonly colIdx: Int32Array,
    readonly values: Float64Array,
  ) {}

  /** Non-zero count. */
  get nnz(): number {
    return this.values.length;
  }

  /**
   * A random matrix where each entry is non-zero with probability `density`
   * (exactly round(density·n²) entries at distinct positions), values N(0, 1).
   */
  static random(size: number, density: number, rng: Prng): SparseMatrix {
    if (!Number.isInteger(size) || size <= 0) {
      throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'SparseMatrix.random', `size must be a positive integer`);
    }
    if (!(density > 0 && density <= 1)) {
      throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'SparseMatrix.random', `density must be in (0, 1]`);
    }
    // Fixed count per row keeps every unit connected; columns drawn without replacement.
    const perRow = Math.max(1, Math.round(density * size));
    const rowPtr = new Int32Array(size + 1);
    const colIdx = new Int32Array(perRow * size);
    const values = new Float64Array(perRow * size);
    const pool = Int32Array.from({ length: size }, (_, i) => i);
    let k = 0;
    for (let i = 0; i < size; i++) {
      rowPtr[i] = k;
      for (let j = 0; j < perRow; j++) {
        const r = j + rng.nextInt(size - j);
        const t = pool[j]!;
        pool[j] = pool[r]!;
        pool[r] = t;
      }
      const cols = pool.slice(0, perRow).sort();
      for (let j = 0; j < perRow; j++) {
        colIdx[k] = cols[j]!;
        values[k] = gaussian(rng);
        k++;
      }
    }
    rowPtr[size] = k;
    return new SparseMatrix(size, rowPtr, colIdx, values);
  }

  /** out = this · x. */
  multiply(x: Float64Array, out: Float64Array): Float64Array {
    const { rowPtr, colIdx, values } = this;
    for (let i = 0; i < this.size; i++) {
      let s = 0;
      for (let k = rowPtr[i]!; k < rowPtr[i + 1]!; k++) s += values[k]! * x[colIdx[k]!]!;
      out[i] = s;
    }
    return out;
  }

  /** Multiplies every value by `factor` in place. */
  scale(factor: number): this {
    for (let k = 0; k < this.values.length; k++) this.values[k]! *= factor;
    return this;
  }

  /**
   * Estimates the spectral radius (largest |eigenvalue|) by power iteration:
   * the geometric-mean growth rate of ‖Wᵏv‖ after a burn-in, which converges
   * even when the dominant eigenvalues form a complex pair.
   */
  spectralRadius(iterations = 600, seed = 7): number {
    const rng = createPrng(seed);
    let v = new Float64Array(this.size);
    let w = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) v[i] = gaussian(rng);
    const burn = Math.floor(iterations / 3);
    let logSum = 0;
    for (let it = 0; it < iterations; it++) {
      this.multiply(v, w);
      let norm = 0;
      for (let i = 0; i < this.size; i++) norm += w[i]! * w[i]!;
      norm = Math.sqrt(norm);
      if (norm === 0) return 0;
      for (let i = 0; i < this.size; i++) w[i]! /= norm;
      if (it >= burn) logSum += Math.log(norm);
      [v, w] = [w, v];
    }
    return Math.exp(logSum / (iterations - burn));
  }
}
