// Plain TypeScript references for the native ops (f64 arithmetic).
import { refDequantize, rowBytes } from './refDequantize.ts';

/** y[i*n+j] = Σ x[i*k+kk]·W[j][kk] with W dequantised by the reference. */
export function refMatmul(type: number, w: Uint8Array, k: number, n: number, x: Float32Array, m: number): Float64Array {
  const rb = rowBytes(type, k);
  const y = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    const row = refDequantize(type, w.subarray(j * rb, (j + 1) * rb), k);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let kk = 0; kk < k; kk++) s += (x[i * k + kk] as number) * (row[kk] as number);
      y[i * n + j] = s;
    }
  }
  return y;
}

export function refRmsNorm(x: Float32Array, w: Float32Array | null, m: number, n: number, eps: number): Float64Array {
  const y = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    let ss = 0;
    for (let j = 0; j < n; j++) ss += (x[i * n + j] as number) ** 2;
    const s = 1 / Math.sqrt(ss / n + eps);
    for (let j = 0; j < n; j++) y[i * n + j] = (x[i * n + j] as number) * s * (w === null ? 1 : (w[j] as number));
  }
  return y;
}

export interface RefRope {
  nRot: number;
  freqBase: number;
  freqScale: number;
  neox: boolean;
  nCtxOrig: number;
  extFactor: number;
  attnFactor: number;
  betaFast: number;
  betaSlow: number;
  freqFactors?: Float32Array;
}

function corrDim(nDims: number, nCtxOrig: number, nRot: number, base: number): number {
  return (nDims * Math.log(nCtxOrig / (nRot * 2 * Math.PI))) / (2 * Math.log(base));
}

/** llama.cpp's rope (ggml_rope_ext) including YaRN, on x [m][heads][headDim]. */
export function refRope(
  x: Float32Array,
  pos: Int32Array,
  m: number,
  heads: number,
  headDim: number,
  p: RefRope,
): Float64Array {
  const y = Float64Array.from(x);
  const nDims = p.nRot;
  let low = 0;
  let high = 0;
  if (p.extFactor !== 0) {
    low = Math.max(0, Math.floor(corrDim(nDims, p.nCtxOrig, p.betaFast, p.freqBase)));
    high = Math.min(nDims - 1, Math.ceil(corrDim(nDims, p.nCtxOrig, p.betaSlow, p.freqBase)));
  }
  for (let i = 0; i < m; i++) {
    for (let h = 0; h < heads; h++) {
      const base = (i * heads + h) * headDim;
      for (let i0 = 0; i0 < nDims; i0 += 2) {
        const thetaExtrap = ((pos[i] as number) * p.freqBase ** (-i0 / nDims)) / (p.freqFactors?.[i0 / 2] ?? 1);
        const thetaInterp = p.freqScale * thetaExtrap;
        let theta = thetaInterp;
        let mscale = p.attnFactor;
        if (p.extFactor !== 0) {
          const r = (Math.floor(i0 / 2) - low) / Math.max(0.001, high - low);
          const ramp = (1 - Math.min(1, Math.max(0, r))) * p.extFactor;
          theta = thetaInterp * (1 - ramp) + thetaExtrap * ramp;
          mscale *= 1 + 0.1 * Math.log(1 / p.freqScale);
        }
        const c = Math.cos(theta) * mscale;
        const s = Math.sin(theta) * mscale;
        const a = base + (p.neox ? i0 / 2 : i0);
        const b = base + (p.neox ? i0 / 2 + nDims / 2 : i0 + 1);
        const x0 = x[a] as number;
        const x1 = x[b] as number;
        y[a] = x0 * c - x1 * s;
        y[b] = x0 * s + x1 * c;
      }
    }
  }
  return y;
}

export function refSoftmax(x: Float32Array, m: number, n: number): Float64Array {
  const y = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    let mx = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < n; j++) mx = Math.max(mx, x[i * n + j] as number);
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp((x[i * n + j] as number) - mx);
    for (let j = 0; j < n; j++) y[i * n + j] = Math.exp((x[i * n + j] as number) - mx) / s;
  }
  return y;
}

/** Largest |a - b| divided by max(|b|) (the output scale). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return scale === 0 ? err : err / scale;
}
