import type { Sequence } from './Sequence.ts';

/**
 * Applies, in place on one row of logits: the allowed-token mask, logit bias, the CTRL repetition
 * penalty (prompt and output tokens), OpenAI presence/frequency penalties (output tokens) and
 * `blocked` ids (e.g. EOS before `minTokens`).
 */
export function applyPenalties(
  x: Float32Array,
  seq: Sequence,
  blocked: readonly number[],
  allowedScratch: Uint8Array,
): void {
  const p = seq.params;
  if (p.allowedTokenIds !== undefined) {
    allowedScratch.fill(0);
    for (const t of p.allowedTokenIds) allowedScratch[t] = 1;
    for (let i = 0; i < x.length; i++) if (allowedScratch[i] === 0) x[i] = Number.NEGATIVE_INFINITY;
  }
  for (const key in p.logitBias) {
    const t = Number(key);
    x[t] = x[t]! + p.logitBias[t]!;
  }
  if (p.repetitionPenalty !== 1) {
    const seen = new Set(seq.tokenIds);
    const r = p.repetitionPenalty;
    for (const t of seen) {
      const v = x[t]!;
      x[t] = v > 0 ? v / r : v * r;
    }
  }
  if (p.presencePenalty !== 0 || p.frequencyPenalty !== 0) {
    for (const [t, count] of seq.outputCounts) {
      x[t] = x[t]! - p.presencePenalty - p.frequencyPenalty * count;
    }
  }
  for (const t of blocked) x[t] = Number.NEGATIVE_INFINITY;
}
