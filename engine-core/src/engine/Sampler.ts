import { applyPenalties } from './applyPenalties.ts';
import type { Sequence } from './Sequence.ts';

/** A token with its log-probability under the model. */
export interface TokenLogprob {
  tokenId: number;
  logprob: number;
}

/** One sampled token, with log-probabilities when the request asked for them. */
export interface SampleResult {
  tokenId: number;
  /** Log-probability of `tokenId` under the raw model distribution (before penalties and temperature). */
  logprob?: number;
  /** The `topLogprobs` most likely tokens of the raw distribution, most likely first. */
  topLogprobs?: TokenLogprob[];
  /**
   * With `allowedTokenIds` and logprobs asked: the raw log-probability of every allowed token, in the
   * order given (what a policy restricted to them needs to know its own probabilities).
   */
  allowedLogprobs?: TokenLogprob[];
}

/**
 * Turns one row of logits into a token for one sequence: penalties, bias and masks, then greedy
 * (temperature 0) or temperature / top-k / top-p / min-p sampling drawing exactly one number from the
 * sequence's own PRNG stream, so the result does not depend on the rest of the batch.
 */
export class Sampler {
  readonly vocabSize: number;
  private readonly x: Float32Array;
  private readonly mask: Uint8Array;
  private readonly idx: Int32Array;
  private readonly kept: Int32Array;
  private readonly vals: Float64Array;

  constructor(vocabSize: number) {
    this.vocabSize = vocabSize;
    this.x = new Float32Array(vocabSize);
    this.mask = new Uint8Array(vocabSize);
    this.idx = new Int32Array(vocabSize);
    this.kept = new Int32Array(vocabSize);
    this.vals = new Float64Array(vocabSize);
  }

  /**
   * Samples from `logits[offset .. offset + vocabSize)`.
   * @param blocked token ids that must not be chosen now (EOS and stop ids before `minTokens`)
   */
  sample(logits: Float32Array, offset: number, seq: Sequence, blocked: readonly number[] = []): SampleResult {
    const V = this.vocabSize;
    const raw = logits.subarray(offset, offset + V);
    const x = this.x;
    x.set(raw);
    applyPenalties(x, seq, blocked, this.mask);
    const p = seq.params;
    const allowed = p.constraint?.allowedTokens(seq.constraintState, p.maxTokens - seq.numOutputTokens);
    if (allowed !== undefined) this.applyConstraint(x, allowed);
    let tokenId = p.temperature === 0 ? argmax(x) : this.draw(x, seq);
    if (tokenId < 0) tokenId = this.fallback(raw, seq, allowed);
    const result: SampleResult = { tokenId };
    if (p.logprobs || p.topLogprobs > 0) this.addLogprobs(raw, result, p.topLogprobs, p.allowedTokenIds);
    return result;
  }

  private draw(x: Float32Array, seq: Sequence): number {
    const p = seq.params;
    const V = this.vocabSize;
    const idx = this.idx;
    let n = 0;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < V; i++) {
      const v = x[i]!;
      if (v === Number.NEGATIVE_INFINITY || Number.isNaN(v)) continue;
      idx[n++] = i;
      if (v > max) max = v;
    }
    if (n === 0) return -1;
    const invT = 1 / p.temperature;
    // Probabilities (unnormalised) in x for the candidates.
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const i = idx[j]!;
      const e = Math.exp((x[i]! - max) * invT);
      x[i] = e;
      sum += e;
    }
    let cand = idx.subarray(0, n);
    if ((p.topK > 0 && p.topK < n) || p.topP < 1) cand = this.nucleus(x, cand, p.topK, p.topP);
    if (p.minP > 0) {
      const pmax = 1; // exp(0): the most likely token after scaling
      const threshold = p.minP * pmax;
      cand = cand.filter((i) => x[i]! >= threshold);
    }
    sum = 0;
    for (const i of cand) sum += x[i]!;
    let u = seq.rng.nextFloat() * sum;
    for (const i of cand) {
      u -= x[i]!;
      if (u < 0) return i;
    }
    return cand[cand.length - 1] ?? -1;
  }

  /**
   * Keeps the top-k, then the smallest top-p mass, of the candidates (their weights in `x`), without a
   * comparator sort: a native sort of the weights finds the cut value; ties at the cut go to lower ids.
   * Candidates stay in id order, so the draw is deterministic.
   */
  private nucleus(x: Float32Array, cand: Int32Array, topK: number, topP: number): Int32Array {
    const n = cand.length;
    const vals = this.vals.subarray(0, n);
    for (let j = 0; j < n; j++) vals[j] = x[cand[j]!]!;
    vals.sort();
    let keep = topK > 0 && topK < n ? topK : n;
    if (topP < 1) {
      let total = 0;
      for (let j = n - keep; j < n; j++) total += vals[j]!;
      let cum = 0;
      let k = 0;
      while (k < keep) {
        cum += vals[n - 1 - k]!;
        k++;
        if (cum >= topP * total) break;
      }
      keep = k;
    }
    const cut = vals[n - keep]!;
    let numTies = 0;
    for (let j = n - keep; j < n && vals[j] === cut; j++) numTies++;
    const out = this.kept;
    let m = 0;
    for (let j = 0; j < n; j++) {
      const i = cand[j]!;
      const v = x[i]!;
      if (v > cut || (v === cut && numTies-- > 0)) out[m++] = i;
    }
    return out.subarray(0, m);
  }

  /** Keeps only the constraint's `allowed` ids (the rest become -Infinity). */
  private applyConstraint(x: Float32Array, allowed: ArrayLike<number>): void {
    const keep = this.mask;
    keep.fill(0);
    for (let i = 0; i < allowed.length; i++) keep[allowed[i]!] = 1;
    for (let i = 0; i < x.length; i++) if (keep[i] === 0) x[i] = Number.NEGATIVE_INFINITY;
  }

  /** Every token is masked out: take the best allowed token by raw logit (never a crash); the constraint wins. */
  private fallback(raw: Float32Array, seq: Sequence, constrained?: ArrayLike<number>): number {
    const allowed = constrained !== undefined && constrained.length > 0 ? constrained : seq.params.allowedTokenIds;
    if (allowed === undefined) return argmax(raw);
    let best = allowed[0]!;
    for (let i = 1; i < allowed.length; i++) if (raw[allowed[i]!]! > raw[best]!) best = allowed[i]!;
    return best;
  }

  private addLogprobs(raw: Float32Array, result: SampleResult, top: number, allowedIds?: readonly number[]): void {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < raw.length; i++) if (raw[i]! > max) max = raw[i]!;
    let sum = 0;
    for (let i = 0; i < raw.length; i++) sum += Math.exp(raw[i]! - max);
    const lse = max + Math.log(sum);
    result.logprob = raw[result.tokenId]! - lse;
    if (allowedIds !== undefined)
      result.allowedLogprobs = allowedIds.map((tokenId) => ({ tokenId, logprob: raw[tokenId]! - lse }));
    if (top > 0) {
      const best: number[] = [];
      for (let i = 0; i < raw.length; i++) {
        if (best.length < top || raw[i]! > raw[best[best.length - 1]!]!) {
          let j = best.length < top ? best.length : best.length - 1;
          if (best.length < top) best.push(i);
          while (j > 0 && raw[best[j - 1]!]! < raw[i]!) {
            best[j] = best[j - 1]!;
            j--;
          }
          best[j] = i;
        }
      }
      result.topLogprobs = best.map((tokenId) => ({ tokenId, logprob: raw[tokenId]! - lse }));
    }
  }
}

/** Index of the largest value (lowest index on ties); -1 when every value is -Infinity or NaN. */
function argmax(x: Float32Array): number {
  let best = -1;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v > max) {
      max = v;
      best = i;
    }
  }
  return best;
}
