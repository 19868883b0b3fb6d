import type { LlamaConfig, LlamaLayerWeights, LlamaWeights, NativeWeight } from '../../src/LlamaModel.ts';
import { roundHalf } from './roundHalf.ts';
import type { TestRng } from './testRng.ts';

/** A matrix of n rows × k columns, row-major (ggml ne0 = k, ne1 = n). */
interface Mat {
  k: number;
  n: number;
  w: Float32Array;
}

interface RefLayer {
  attnNorm: Float32Array;
  wq: Mat;
  wk: Mat;
  wv: Mat;
  wo: Mat;
  bq?: Float32Array;
  bk?: Float32Array;
  bv?: Float32Array;
  qNorm?: Float32Array;
  kNorm?: Float32Array;
  ffnNorm: Float32Array;
  gate: Mat;
  up: Mat;
  down: Mat;
}

/** A random f32 Llama in plain arrays, plus the same weights as NativeWeight views. */
export interface RandomLlama {
  config: LlamaConfig;
  tokenEmbd: Mat;
  outputNorm: Float32Array;
  output: Mat;
  layers: RefLayer[];
  weights: LlamaWeights;
}

export interface RandomLlamaOptions {
  bias?: boolean;
  qkNorm?: boolean;
  tied?: boolean;
}

const vecWeight = (v: Float32Array): NativeWeight => ({ type: 0, dims: [v.length], data: new Uint8Array(v.buffer) });
const matWeight = (m: Mat): NativeWeight => ({ type: 0, dims: [m.k, m.n], data: new Uint8Array(m.w.buffer) });

/** Builds a random model for `config` (f32 weights, seeded). */
export function randomLlama(config: LlamaConfig, rng: TestRng, opts: RandomLlamaOptions = {}): RandomLlama {
  const { nEmbd: E, nHead, nHeadKv, headDim: hd, nFf, nVocab } = config;
  const mat = (k: number, n: number): Mat => ({ k, n, w: rng.normals(k * n, 1 / Math.sqrt(k)) });
  const norm = (n: number) => rng.normals(n, 0.1).map((x) => 1 + x);
  const layers: RefLayer[] = [];
  for (let i = 0; i < config.nLayer; i++) {
    const l: RefLayer = {
      attnNorm: norm(E),
      wq: mat(E, nHead * hd),
      wk: mat(E, nHeadKv * hd),
      wv: mat(E, nHeadKv * hd),
      wo: mat(nHead * hd, E),
      ffnNorm: norm(E),
      gate: mat(E, nFf),
      up: mat(E, nFf),
      down: mat(nFf, E),
    };
    if (opts.bias) {
      l.bq = rng.normals(nHead * hd, 0.2);
      l.bk = rng.normals(nHeadKv * hd, 0.2);
      l.bv = rng.normals(nHeadKv * hd, 0.2);
    }
    if (opts.qkNorm) {
      l.qNorm = norm(hd);
      l.kNorm = norm(hd);
    }
    layers.push(l);
  }
  const tokenEmbd = { k: E, n: nVocab, w: rng.normals(E * nVocab) };
  const output = opts.tied ? tokenEmbd : mat(E, nVocab);
  const outputNorm = norm(E);
  const weights: LlamaWeights = {
    tokenEmbd: matWeight(tokenEmbd),
    outputNorm: vecWeight(outputNorm),
    layers: layers.map((l) => {
      const w: LlamaLayerWeights = {
        attnNorm: vecWeight(l.attnNorm),
        wq: matWeight(l.wq),
        wk: matWeight(l.wk),
        wv: matWeight(l.wv),
        wo: matWeight(l.wo),
        ffnNorm: vecWeight(l.ffnNorm),
        ffnGate: matWeight(l.gate),
        ffnUp: matWeight(l.up),
        ffnDown: matWeight(l.down),
      };
      if (l.bq && l.bk && l.bv) Object.assign(w, { bq: vecWeight(l.bq), bk: vecWeight(l.bk), bv: vecWeight(l.bv) });
      if (l.qNorm && l.kNorm) Object.assign(w, { qNorm: vecWeight(l.qNorm), kNorm: vecWeight(l.kNorm) });
      return w;
    }),
  };
  if (!opts.tied) weights.output = matWeight(output);
  return { config, tokenEmbd, outputNorm, output, layers, weights };
}

// ---- plain float64 reference forward --------------------------------------------------------------

function matvec(m: Mat, x: Float64Array): Float64Array {
  const y = new Float64Array(m.n);
  for (let j = 0; j < m.n; j++) {
    let s = 0;
    for (let i = 0; i < m.k; i++) s += m.w[j * m.k + i]! * x[i]!;
    y[j] = s;
  }
  return y;
}

function rmsNorm(x: Float64Array, w: Float32Array, eps: number, off = 0, n = x.length): void {
  let ss = 0;
  for (let i = 0; i < n; i++) ss += x[off + i]! ** 2;
  const inv = 1 / Math.sqrt(ss / n + eps);
  for (let i = 0; i < n; i++) x[off + i] = x[off + i]! * inv * w[i]!;
}

/** ggml rope_f32 without scaling: theta = pos · base^(-2i/headDim), normal or NeoX pairs. */
function rope(x: Float64Array, nHeads: number, hd: number, pos: number, base: number, neox: boolean): void {
  for (let h = 0; h < nHeads; h++) {
    for (let i0 = 0; i0 < hd; i0 += 2) {
      const theta = pos * base ** (-i0 / hd);
      const c = Math.cos(theta);
      const s = Math.sin(theta);
      const a = h * hd + (neox ? i0 / 2 : i0);
      const b = a + (neox ? hd / 2 : 1);
      const x0 = x[a]!;
      const x1 = x[b]!;
      x[a] = x0 * c - x1 * s;
      x[b] = x0 * s + x1 * c;
    }
  }
}

const addInto = (x: Float64Array, b: Float32Array | undefined) => {
  if (b) for (let i = 0; i < x.length; i++) x[i] = x[i]! + b[i]!;
};

/** Full causal forward of one sequence (positions 0..n-1): logits and final-norm hidden per position. */
export function referenceForward(m: RandomLlama, tokens: number[]): { logits: Float64Array[]; hidden: Float64Array[] } {
  const { nEmbd: E, nHead, nHeadKv, headDim: hd, normEps: eps, ropeFreqBase: base, ropeNeox: neox } = m.config;
  const group = nHead / nHeadKv;
  // Linear RoPE scaling: positions are multiplied by 1/factor (ggml's freq_scale).
  const posScale = m.config.ropeScaling.type === 'linear' ? 1 / m.config.ropeScaling.factor : 1;
  let xs = tokens.map((t) => Float64Array.from(m.tokenEmbd.w.subarray(t * E, (t + 1) * E)));
  for (const l of m.layers) {
    const K: Float64Array[] = [];
    const V: Float64Array[] = [];
    const Q: Float64Array[] = [];
    xs.forEach((x, p) => {
      const xn = Float64Array.from(x);
      rmsNorm(xn, l.attnNorm, eps);
      const q = matvec(l.wq, xn);
      const k = matvec(l.wk, xn);
      const v = matvec(l.wv, xn);
      addInto(q, l.bq);
      addInto(k, l.bk);
      addInto(v, l.bv);
      if (l.qNorm) for (let h = 0; h < nHead; h++) rmsNorm(q, l.qNorm, eps, h * hd, hd);
      if (l.kNorm) for (let h = 0; h < nHeadKv; h++) rmsNorm(k, l.kNorm, eps, h * hd, hd);
      rope(q, nHead, hd, p * posScale, base, neox);
      rope(k, nHeadKv, hd, p * posScale, base, neox);
      if (m.config.kvCacheType === 'f16') {
        k.forEach((x, i) => {
          k[i] = roundHalf(Math.fround(x));
        });
        v.forEach((x, i) => {
          v[i] = roundHalf(Math.fround(x));
        });
      }
      Q.push(q);
      K.push(k);
      V.push(v);
    });
    xs = xs.map((x, p) => {
      const att = new Float64Array(nHead * hd);
      for (let h = 0; h < nHead; h++) {
        const kh = Math.floor(h / group);
        const sc: number[] = [];
        for (let j = 0; j <= p; j++) {
          let d = 0;
          for (let i = 0; i < hd; i++) d += Q[p]![h * hd + i]! * K[j]![kh * hd + i]!;
          sc.push(d / Math.sqrt(hd));
        }
        const mx = Math.max(...sc);
        const w = sc.map((s) => Math.exp(s - mx));
        const sum = w.reduce((a, b) => a + b, 0);
        for (let j = 0; j <= p; j++)
          for (let i = 0; i < hd; i++) att[h * hd + i] = att[h * hd + i]! + (w[j]! / sum) * V[j]![kh * hd + i]!;
      }
      const o = matvec(l.wo, att);
      const h1 = x.map((v, i) => v + o[i]!);
      const hn = Float64Array.from(h1);
      rmsNorm(hn, l.ffnNorm, eps);
      const g = matvec(l.gate, hn);
      const u = matvec(l.up, hn);
      const act = g.map((gv, i) => (gv / (1 + Math.exp(-gv))) * u[i]!);
      const d = matvec(l.down, act);
      return h1.map((v, i) => v + d[i]!);
    });
  }
  const hidden = xs.map((x) => {
    const h = Float64Array.from(x);
    rmsNorm(h, m.outputNorm, eps);
    return h;
  });
  return { hidden, logits: hidden.map((h) => matvec(m.output, h)) };
}

/** Largest absolute difference between a native row and a reference row. */
export function maxAbsDiff(a: Float32Array, b: Float64Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}
