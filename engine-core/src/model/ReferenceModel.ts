import { dequantize } from '../gguf/dequantize.ts';
import { floatToHalf, halfToFloat } from '../gguf/half.ts';
import type { ForwardBatch, LlamaConfig, LlamaWeights, ModelExecutor, NativeWeight } from './LlamaTypes.ts';
import { applyRope, ropeAngles } from './ropeAngles.ts';
import { type ActivationScheme, roundActivations } from './roundActivations.ts';
import { validateBatch } from './validateBatch.ts';

/**
 * The plain-TypeScript Llama forward: f32 everywhere, weights dequantised once, a paged f32 KV
 * cache with the same slot/block-table semantics as the native model. It is the test oracle for
 * the native kernels and a fallback executor for tiny models; it is slow by design (no SIMD).
 * @example const ref = new ReferenceModel(config, weights); const logits = ref.forwardSync(batch)
 */
export class ReferenceModel implements ModelExecutor {
  private readonly kCache: Float32Array[];
  private readonly vCache: Float32Array[];
  private readonly dense = new Map<NativeWeight, Float32Array>();

  /**
   * @param options.activationScheme how each matmul rounds its activation rows, by the weight's ggml
   *   type id (see `roundActivations`); absent types keep f32 activations. Used to reproduce another
   *   implementation's rounding (the native kernels', llama.cpp's) and compare against it tightly.
   */
  constructor(
    readonly config: LlamaConfig,
    readonly weights: LlamaWeights,
    private readonly options: { activationScheme?: Readonly<Record<number, ActivationScheme>> } = {},
  ) {
    const kvDim = config.nHeadKv * config.headDim;
    const n = config.numBlocks * config.blockSize * kvDim;
    this.kCache = Array.from({ length: config.nLayer }, () => new Float32Array(n));
    this.vCache = Array.from({ length: config.nLayer }, () => new Float32Array(n));
  }

  /** Bytes the KV cache stands for (keys and values of every layer and slot; f16 values are kept widened). */
  get kvCacheBytes(): number {
    return (this.config.kvCacheType === 'f16' ? 1 : 2) * this.config.nLayer * this.kCache[0]!.byteLength;
  }

  /** Same as {@link forwardSync}, as a promise (the reference runs on the JS thread). */
  async forward(batch: ForwardBatch): Promise<Float32Array> {
    return this.forwardSync(batch);
  }

  /** Runs one batch; returns logits [R × nVocab] (or hidden states [R × nEmbd] with `wantHidden`). */
  forwardSync(b: ForwardBatch): Float32Array {
    const c = this.config;
    const numSeqs = validateBatch(c, b);
    const T = b.tokens.length;
    const { nEmbd, nHead, nHeadKv, headDim, nFf } = c;
    const qDim = nHead * headDim;
    const kvDim = nHeadKv * headDim;
    const x = new Float32Array(T * nEmbd);
    const emb = this.f32(this.weights.tokenEmbd);
    for (let i = 0; i < T; i++) x.set(emb.subarray(b.tokens[i]! * nEmbd, (b.tokens[i]! + 1) * nEmbd), i * nEmbd);
    const seqOf = new Int32Array(T);
    for (let s = 0; s < numSeqs; s++) seqOf.fill(s, b.seqStarts[s]!, b.seqStarts[s + 1]!);
    const freqs = this.weights.ropeFreqs ? this.f32(this.weights.ropeFreqs) : undefined;
    const angles = Array.from(b.positions, (p) => ropeAngles(c, p, freqs));
    const h = new Float32Array(T * nEmbd);
    const q = new Float32Array(T * qDim);
    const k = new Float32Array(T * kvDim);
    const v = new Float32Array(T * kvDim);
    const att = new Float32Array(T * qDim);
    const gate = new Float32Array(T * nFf);
    const up = new Float32Array(T * nFf);
    const scale = 1 / Math.sqrt(headDim);
    for (let l = 0; l < c.nLayer; l++) {
      const w = this.weights.layers[l]!;
      rmsNorm(x, this.f32(w.attnNorm), T, nEmbd, c.normEps, h);
      this.matmul(w.wq, h, T, q);
      this.matmul(w.wk, h, T, k);
      this.matmul(w.wv, h, T, v);
      if (w.bq) addBias(q, this.f32(w.bq), T, qDim);
      if (w.bk) addBias(k, this.f32(w.bk), T, kvDim);
      if (w.bv) addBias(v, this.f32(w.bv), T, kvDim);
      if (w.qNorm) rmsNorm(q, this.f32(w.qNorm), T * nHead, headDim, c.normEps, q);
      if (w.kNorm) rmsNorm(k, this.f32(w.kNorm), T * nHeadKv, headDim, c.normEps, k);
      for (let i = 0; i < T; i++) {
        for (let hh = 0; hh < nHead; hh++) applyRope(q, i * qDim + hh * headDim, headDim, angles[i]!, c.ropeNeox);
        for (let hh = 0; hh < nHeadKv; hh++) applyRope(k, i * kvDim + hh * headDim, headDim, angles[i]!, c.ropeNeox);
      }
      const kc = this.kCache[l]!;
      const vc = this.vCache[l]!;
      for (let i = 0; i < T; i++) {
        const slot = b.slotMapping[i]!;
        kc.set(k.subarray(i * kvDim, (i + 1) * kvDim), slot * kvDim);
        vc.set(v.subarray(i * kvDim, (i + 1) * kvDim), slot * kvDim);
        if (c.kvCacheType === 'f16') {
          for (let d = slot * kvDim; d < (slot + 1) * kvDim; d++) {
            kc[d] = halfToFloat(floatToHalf(kc[d]!));
            vc[d] = halfToFloat(floatToHalf(vc[d]!));
          }
        }
      }
      this.attention(b, seqOf, q, kc, vc, scale, att);
      this.matmul(w.wo, att, T, h);
      for (let i = 0; i < x.length; i++) x[i] = x[i]! + h[i]!;
      rmsNorm(x, this.f32(w.ffnNorm), T, nEmbd, c.normEps, h);
      this.matmul(w.ffnGate, h, T, gate);
      this.matmul(w.ffnUp, h, T, up);
      for (let i = 0; i < gate.length; i++) {
        const g = gate[i]!;
        gate[i] = (g / (1 + Math.exp(-g))) * up[i]!;
      }
      this.matmul(w.ffnDown, gate, T, h);
      for (let i = 0; i < x.length; i++) x[i] = x[i]! + h[i]!;
    }
    const R = b.logitsIndices.length;
    const picked = new Float32Array(R * nEmbd);
    for (let r = 0; r < R; r++) {
      const i = b.logitsIndices[r]!;
      picked.set(x.subarray(i * nEmbd, (i + 1) * nEmbd), r * nEmbd);
    }
    const normed = new Float32Array(R * nEmbd);
    rmsNorm(picked, this.f32(this.weights.outputNorm), R, nEmbd, c.normEps, normed);
    if (b.wantHidden) return normed;
    const logits = new Float32Array(R * c.nVocab);
    this.matmul(this.weights.output ?? this.weights.tokenEmbd, normed, R, logits);
    return logits;
  }

  /** Resets nothing but frees the dequantised weight cache. */
  dispose(): void {
    this.dense.clear();
  }

  private attention(
    b: ForwardBatch,
    seqOf: Int32Array,
    q: Float32Array,
    kc: Float32Array,
    vc: Float32Array,
    scale: number,
    out: Float32Array,
  ): void {
    const { nHead, nHeadKv, headDim, blockSize } = this.config;
    const qDim = nHead * headDim;
    const kvDim = nHeadKv * headDim;
    const group = nHead / nHeadKv;
    const T = b.tokens.length;
    out.fill(0);
    for (let i = 0; i < T; i++) {
      const s = seqOf[i]!;
      const nKeys = b.positions[i]! + 1;
      const slots = new Int32Array(nKeys);
      for (let p = 0; p < nKeys; p++) {
        slots[p] = b.blockTables[s * b.maxBlocksPerSeq + Math.floor(p / blockSize)]! * blockSize + (p % blockSize);
      }
      const scores = new Float64Array(nKeys);
      for (let hh = 0; hh < nHead; hh++) {
        const qo = i * qDim + hh * headDim;
        const ko = Math.floor(hh / group) * headDim;
        let max = -Infinity;
        for (let p = 0; p < nKeys; p++) {
          const base = slots[p]! * kvDim + ko;
          let dot = 0;
          for (let d = 0; d < headDim; d++) dot += q[qo + d]! * kc[base + d]!;
          scores[p] = dot * scale;
          if (scores[p]! > max) max = scores[p]!;
        }
        let sum = 0;
        for (let p = 0; p < nKeys; p++) {
          scores[p] = Math.exp(scores[p]! - max);
          sum += scores[p]!;
        }
        for (let p = 0; p < nKeys; p++) {
          const wgt = scores[p]! / sum;
          const base = slots[p]! * kvDim + ko;
          for (let d = 0; d < headDim; d++) out[qo + d] = out[qo + d]! + wgt * vc[base + d]!;
        }
      }
    }
  }

  private f32(w: NativeWeight): Float32Array {
    let d = this.dense.get(w);
    if (!d) {
      const n = w.dims.reduce((a, x) => a * x, 1);
      d = w.type === 0 ? new Float32Array(w.data.slice().buffer, 0, n) : dequantize(w.type, w.data, n);
      this.dense.set(w, d);
    }
    return d;
  }

  /** y[m × n] = x[m × k] · Wᵀ with W of shape ne0 = k, ne1 = n. */
  private matmul(w: NativeWeight, x: Float32Array, m: number, y: Float32Array): void {
    const W = this.f32(w);
    const scheme = this.options.activationScheme?.[w.type];
    if (scheme && scheme !== 'f32') x = roundActivations(scheme, x.subarray(0, m * w.dims[0]!));
    const k = w.dims[0]!;
    const n = w.dims[1] ?? 1;
    for (let i = 0; i < m; i++) {
      const xo = i * k;
      for (let j = 0; j < n; j++) {
        const wo = j * k;
        let acc = 0;
        for (let kk = 0; kk < k; kk++) acc += x[xo + kk]! * W[wo + kk]!;
        y[i * n + j] = acc;
      }
    }
  }
}

/** y = x / rms(x) * w over rows of length n (ggml: mean of squares in double, eps inside the root). */
function rmsNorm(x: Float32Array, w: Float32Array, m: number, n: number, eps: number, y: Float32Array): void {
  for (let i = 0; i < m; i++) {
    const o = i * n;
    let ss = 0;
    for (let j = 0; j < n; j++) ss += x[o + j]! * x[o + j]!;
    const s = 1 / Math.sqrt(ss / n + eps);
    for (let j = 0; j < n; j++) y[o + j] = x[o + j]! * s * w[j]!;
  }
}

function addBias(x: Float32Array, bias: Float32Array, m: number, n: number): void {
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) x[i * n + j] = x[i * n + j]! + bias[j]!;
}
