import { dtesnError } from '../DtesnError.ts';

function check(name: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length || a.length === 0) {
    throw dtesnError('DTE_ERR_DTESN_SHAPE_MISMATCH', name, `two equal non-empty series`, `${a.length}, ${b.length}`);
  }
}

function variance(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i]!;
  m /= x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i]! - m) ** 2;
  return v / x.length;
}

/** Mean squared error. */
export function mse(target: ArrayLike<number>, predicted: ArrayLike<number>): number {
  check('mse', target, predicted);
  let s = 0;
  for (let i = 0; i < target.length; i++) s += (target[i]! - predicted[i]!) ** 2;
  return s / target.length;
}

/** Root mean squared error. */
export function rmse(target: ArrayLike<number>, predicted: ArrayLike<number>): number {
  return Math.sqrt(mse(target, predicted));
}

/** RMSE divided by the standard deviation of the target. */
export function nrmse(target: ArrayLike<number>, predicted: ArrayLike<number>): number {
  return rmse(target, predicted) / Math.sqrt(variance(target));
}

/** MSE divided by the variance of the target. */
export function nmse(target: ArrayLike<number>, predicted: ArrayLike<number>): number {
  return mse(target, predicted) / variance(target);
}

/** Squared Pearson correlation of two series. */
export function squaredCorrelation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  check('squaredCorrelation', a, b);
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? 0 : (sab * sab) / (saa * sbb);
}
