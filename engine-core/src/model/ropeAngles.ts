import type { LlamaConfig } from './LlamaTypes.ts';

const fr = Math.fround;

/**
 * cos/sin of every rotated pair at position `pos`, following ggml's `rope_yarn` (f32 theta chain,
 * linear and YaRN scaling, and per-pair `freqFactors` dividing the angle as `rope_freqs` does in
 * ggml_rope_ext). Returns [cos0, sin0, cos1, sin1, ...] for `headDim / 2` pairs.
 * @example const cs = ropeAngles(config, 7)
 */
export function ropeAngles(config: LlamaConfig, pos: number, freqFactors?: Float32Array): Float64Array {
  const nDims = config.headDim;
  const sc = config.ropeScaling;
  const freqScale = sc.type === 'none' ? 1 : 1 / sc.factor;
  const extFactor = sc.type === 'yarn' ? (sc.extFactor ?? 1) : 0;
  let mscale = sc.type === 'yarn' ? (sc.attnFactor ?? 1) : 1;
  const thetaScale = fr(config.ropeFreqBase ** (-2 / nDims));
  let low = 0;
  let high = 0;
  if (extFactor !== 0) {
    const corr = (beta: number) =>
      (nDims * Math.log(sc.origCtx / (beta * 2 * Math.PI))) / (2 * Math.log(config.ropeFreqBase));
    low = Math.max(0, Math.floor(corr(sc.betaFast ?? 32)));
    high = Math.min(nDims - 1, Math.ceil(corr(sc.betaSlow ?? 1)));
    mscale *= 1 + 0.1 * Math.log(1 / freqScale);
  }
  const out = new Float64Array(nDims);
  let thetaExtrap = fr(pos);
  for (let i0 = 0; i0 < nDims; i0 += 2) {
    const extrap = freqFactors ? fr(thetaExtrap / freqFactors[i0 / 2]!) : thetaExtrap;
    const thetaInterp = fr(freqScale * extrap);
    let theta = thetaInterp;
    if (extFactor !== 0) {
      const y = (i0 / 2 - low) / Math.max(0.001, high - low);
      const rampMix = (1 - Math.min(1, Math.max(0, y))) * extFactor;
      theta = thetaInterp * (1 - rampMix) + extrap * rampMix;
    }
    out[i0] = fr(Math.cos(theta) * mscale);
    out[i0 + 1] = fr(Math.sin(theta) * mscale);
    thetaExtrap = fr(thetaExtrap * thetaScale);
  }
  return out;
}

/**
 * Rotates one head vector `x[off .. off+headDim)` in place: adjacent pairs (llama) or halves (neox).
 * @example applyRope(q, h * headDim, headDim, ropeAngles(config, pos), config.ropeNeox)
 */
export function applyRope(x: Float32Array, off: number, headDim: number, cs: Float64Array, neox: boolean): void {
  const half = headDim / 2;
  for (let p = 0; p < half; p++) {
    const c = cs[2 * p]!;
    const s = cs[2 * p + 1]!;
    const a = neox ? off + p : off + 2 * p;
    const b = neox ? off + p + half : a + 1;
    const x0 = x[a]!;
    const x1 = x[b]!;
    x[a] = x0 * c - x1 * s;
    x[b] = x0 * s + x1 * c;
  }
}
