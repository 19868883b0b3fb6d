import { expect } from 'vitest';
import type { ForwardBatch, ModelExecutor } from '../../src/model/LlamaTypes.ts';
import { maxAbsDiff } from '../../src/model/maxAbsDiff.ts';
import type { ActivationScheme } from '../../src/model/roundActivations.ts';
import type { LlamaCppOracle } from './llamaCppOracle.ts';

/**
 * The accuracy contracts the parity tests check, instead of tolerances tuned on one machine.
 *
 * **Same rounding** — two implementations that round activations by the same scheme (see
 * `ActivationScheme`) agree to {@link SAME_ROUNDING_MAX_ABS} max-abs on the logits. Rounding is
 * discontinuous: a value within an ulp of a rounding boundary (its f32 inputs summed in another order)
 * can round the other way, and the perturbation then flips later rounding decisions, so that one
 * sequence differs by the whole rounding noise (~0.15 for 8-bit activations). Where rounding happens
 * (q8_0, q8_K, bf16) the contract is therefore checked on a panel of short independent sequences: the
 * median sequence agrees to the bound (measured: 92–100% of them do). Without rounding (f32
 * activations) it holds for every logit of every position, and is checked so.
 *
 * **No worse than llama.cpp** — our error against the f32 reference (dequantized weights, f32
 * activations) is at most {@link NO_WORSE_FACTOR} × llama.cpp's error against the same reference, or
 * below the float-noise floor {@link FLOAT_NOISE_NRMS}. Error is the normalised RMS difference over
 * every compared logit (all positions of a long prompt and its decode steps), which is stable where a
 * single max-abs is not.
 */
export const SAME_ROUNDING_MAX_ABS = 1e-4;
/** Our error may exceed llama.cpp's against the f32 reference by at most this factor. */
export const NO_WORSE_FACTOR = 1.25;
/** Normalised RMS error that counts as float noise (f32 summation order; measured ~3e-7). */
export const FLOAT_NOISE_NRMS = 1e-5;
/** The sequence panel: many short independent sequences (2 tokens: one RoPE rotation, two keys). */
export const PANEL = { sequences: 24, length: 2 } as const;

/** ‖a − ref‖₂ / ‖ref‖₂ over all values. */
export function normalisedError(a: Float32Array, ref: Float32Array): number {
  expect(a.length).toBe(ref.length);
  let e = 0;
  let s = 0;
  for (let i = 0; i < ref.length; i++) {
    e += (a[i]! - ref[i]!) ** 2;
    s += ref[i]! ** 2;
  }
  return Math.sqrt(e / s);
}

/** `n` independent sequences of `len` pseudo-random token ids below `vocab` (deterministic in `seed`). */
export function sequencePanel(n: number, len: number, vocab: number, seed = 12345): number[][] {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s >>> 8;
  };
  return Array.from({ length: n }, () => Array.from({ length: len }, () => next() % vocab));
}

/** One batch prefilling every sequence from position 0 in its own block; logits at each last token. */
export function panelBatch(seqs: number[][], blockSize: number): ForwardBatch {
  const tokens: number[] = [];
  const positions: number[] = [];
  const slots: number[] = [];
  const starts = [0];
  const lens: number[] = [];
  const last: number[] = [];
  seqs.forEach((seq, i) => {
    if (seq.length > blockSize) throw new Error(`panelBatch: a sequence is longer than a block (${blockSize})`);
    seq.forEach((t, p) => {
      tokens.push(t);
      positions.push(p);
      slots.push(i * blockSize + p);
    });
    starts.push(tokens.length);
    lens.push(seq.length);
    last.push(tokens.length - 1);
  });
  return {
    tokens: Int32Array.from(tokens),
    positions: Int32Array.from(positions),
    seqStarts: Int32Array.from(starts),
    contextLens: Int32Array.from(lens),
    blockTables: Int32Array.from(seqs, (_, i) => i),
    maxBlocksPerSeq: 1,
    slotMapping: Int32Array.from(slots),
    logitsIndices: Int32Array.from(last),
  };
}

/** Last-token logits of every panel sequence from llama.cpp, concatenated like {@link panelBatch}'s. */
export async function llamaCppPanel(oracle: LlamaCppOracle, seqs: number[][]): Promise<Float32Array> {
  const out = new Float32Array(seqs.length * oracle.nVocab);
  for (const [i, seq] of seqs.entries()) out.set(await oracle.lastLogits(seq), i * oracle.nVocab);
  return out;
}

/** Runs a panel batch through a fresh-cache executor. */
export async function executorPanel(model: ModelExecutor, seqs: number[][], blockSize: number): Promise<Float32Array> {
  return model.forward(panelBatch(seqs, blockSize));
}

/** Per-sequence max-abs differences of two panels of `vocab`-wide logit rows. */
export function perSequenceMaxAbs(a: Float32Array, b: Float32Array, vocab: number): number[] {
  expect(a.length).toBe(b.length);
  const out: number[] = [];
  for (let o = 0; o < a.length; o += vocab) out.push(maxAbsDiff(a.subarray(o, o + vocab), b.subarray(o, o + vocab)));
  return out;
}

/** Median per-sequence max-abs difference, and the share of sequences within the bound. */
export function panelAgreement(a: Float32Array, b: Float32Array, vocab: number): { median: number; share: number } {
  const d = perSequenceMaxAbs(a, b, vocab);
  const sorted = [...d].sort((x, y) => x - y);
  return {
    median: sorted[(sorted.length - 1) >> 1]!,
    share: d.filter((x) => x <= SAME_ROUNDING_MAX_ABS).length / d.length,
  };
}

/** True when two panels satisfy the same-rounding contract (the median sequence agrees to the bound). */
export function agreesUnderSameRounding(a: Float32Array, b: Float32Array, vocab: number): boolean {
  return panelAgreement(a, b, vocab).median <= SAME_ROUNDING_MAX_ABS;
}

/** Asserts the same-rounding contract between two panels. */
export function expectSameRounding(a: Float32Array, b: Float32Array, vocab: number, what: string): void {
  const { median, share } = panelAgreement(a, b, vocab);
  expect(
    median,
    `${what}: median per-sequence max-abs (same-rounding contract; ${(100 * share).toFixed(0)}% of the panel within ${SAME_ROUNDING_MAX_ABS})`,
  ).toBeLessThanOrEqual(SAME_ROUNDING_MAX_ABS);
}

/** The bound of the no-worse-than contract for a given llama.cpp error. */
export function noWorseBound(theirError: number): number {
  return Math.max(NO_WORSE_FACTOR * theirError, FLOAT_NOISE_NRMS);
}

/**
 * Asserts the no-worse-than-llama.cpp contract: normalised error of `ours` against `reference` is at
 * most {@link NO_WORSE_FACTOR} × that of `theirs` (or float noise).
 */
export function expectNoWorseThan(
  ours: Float32Array,
  theirs: Float32Array,
  reference: Float32Array,
  what: string,
): { ours: number; theirs: number } {
  const e = { ours: normalisedError(ours, reference), theirs: normalisedError(theirs, reference) };
  expect(
    e.ours,
    `${what}: our error vs the f32 reference (llama.cpp's: ${e.theirs.toExponential(2)})`,
  ).toBeLessThanOrEqual(noWorseBound(e.theirs));
  return e;
}

/** The activation schemes llama.cpp's CPU variants are known to use for a weight type. */
export const LLAMA_CPP_CANDIDATE_SCHEMES: Readonly<Record<number, readonly ActivationScheme[]>> = {
  0: ['f32'],
  1: ['f32', 'f16'],
  30: ['bf16', 'f32'],
  8: ['q8_0'],
  2: ['q8_0'],
  12: ['q8_K'],
  14: ['q8_K'],
};

/** Schemes fine enough that single rounding flips are expected in most sequences (f16's 11-bit grid). */
const FINE_SCHEMES: readonly ActivationScheme[] = ['f16'];

/**
 * Which of the candidate schemes llama.cpp uses for `type` on this machine: the one whose emulation
 * (the reference with that rounding) comes closest to llama.cpp's panel. It counts as identified when
 * it is clearly closer than every other candidate (median at most 2/3 of theirs) and, for the coarse
 * schemes and f32, when it meets the same-rounding contract; for f16, whose fine grid makes a rounding
 * flip likely in most sequences, closeness is all that can be asked.
 */
export function detectScheme(
  type: number,
  theirs: Float32Array,
  emulate: (scheme: ActivationScheme) => Float32Array,
  vocab: number,
): { scheme: ActivationScheme | undefined; medians: Partial<Record<ActivationScheme, number>> } {
  const medians: Partial<Record<ActivationScheme, number>> = {};
  for (const scheme of LLAMA_CPP_CANDIDATE_SCHEMES[type] ?? []) {
    medians[scheme] = panelAgreement(emulate(scheme), theirs, vocab).median;
  }
  const ranked = (Object.entries(medians) as [ActivationScheme, number][]).sort((x, y) => x[1] - y[1]);
  const best = ranked[0];
  if (!best) return { scheme: undefined, medians };
  const clear = ranked.slice(1).every(([, m]) => best[1] <= (2 / 3) * m);
  const exact = FINE_SCHEMES.includes(best[0]) || best[1] <= SAME_ROUNDING_MAX_ABS;
  return { scheme: clear && exact ? best[0] : undefined, medians };
}
