/**
 * The agents' policy over a deliberation's options: the model's logits of the option digits at the
 * answer position, divided by the sampling temperature, through a softmax over those digits only (the
 * engine allows no other token there). Rows of `[numRows × nVocab]` logits.
 */
export function optionProbs(
  logits: ArrayLike<number>,
  offset: number,
  digits: readonly number[],
  n: number,
  temperature: number,
): Float64Array {
  const z = new Float64Array(n);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    z[i] = logits[offset + digits[i]!]! / temperature;
    if (z[i]! > max) max = z[i]!;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    z[i] = Math.exp(z[i]! - max);
    sum += z[i]!;
  }
  for (let i = 0; i < n; i++) z[i] = z[i]! / sum;
  return z;
}

/** Probabilities from the engine's raw log-probabilities of the option digits, at `temperature`. */
export function probsFromLogprobs(logprobs: readonly number[], temperature: number): Float64Array {
  return optionProbs(
    logprobs,
    0,
    Array.from(logprobs, (_, i) => i),
    logprobs.length,
    temperature,
  );
}

/** One sample of the clipped policy-gradient objective. */
export interface PolicySample {
  /** Options offered (the digits 1…n). */
  n: number;
  /** The option taken. */
  action: number;
  /** Its probability under the policy that acted (the rollout's). */
  oldProb: number;
  /** The reference (imitation) policy's probabilities of every option, for the KL penalty. */
  refProbs: Float64Array;
  advantage: number;
}

/** What one batch of the objective measured. */
export interface PolicyLossReport {
  loss: number;
  /** Mean KL(π ‖ π_ref) over the batch. */
  kl: number;
  /** Share of samples whose ratio was clipped. */
  clipped: number;
  /** Mean probability ratio π / π_old. */
  ratio: number;
}

/**
 * The PPO-clip objective with an exact KL penalty to the reference policy, averaged over the rows:
 * L = −min(r·A, clip(r, 1 − ε, 1 + ε)·A) + β·KL(π ‖ π_ref), r = π(a) / π_old(a), with π the
 * temperature softmax over the option digits. Writes dL/dlogits into `dLogits` (only the digit
 * columns of each row are non-zero) and returns the report.
 */
export function policyLoss(
  logits: ArrayLike<number>,
  dLogits: { [i: number]: number; length: number },
  nVocab: number,
  samples: readonly PolicySample[],
  digits: readonly number[],
  o: { temperature: number; clip: number; klCoef: number },
): PolicyLossReport {
  const T = o.temperature;
  const m = samples.length;
  let loss = 0;
  let kl = 0;
  let clipped = 0;
  let ratioSum = 0;
  samples.forEach((s, row) => {
    const off = row * nVocab;
    const p = optionProbs(logits, off, digits, s.n, T);
    const r = p[s.action]! / s.oldProb;
    ratioSum += r;
    const A = s.advantage;
    const unclipped = r * A;
    const lo = 1 - o.clip;
    const hi = 1 + o.clip;
    const clippedValue = Math.min(Math.max(r, lo), hi) * A;
    const usesClip = clippedValue < unclipped;
    if (usesClip) clipped++;
    loss += -Math.min(unclipped, clippedValue);
    let rowKl = 0;
    for (let i = 0; i < s.n; i++) rowKl += p[i]! * (Math.log(p[i]!) - Math.log(s.refProbs[i]!));
    kl += rowKl;
    loss += o.klCoef * rowKl;
    for (let j = 0; j < s.n; j++) {
      // d(−r·A)/dz_j = −A·r·(δ_aj − p_j)/T when the unclipped term is the one taken.
      const pg = usesClip ? 0 : (-A * r * ((j === s.action ? 1 : 0) - p[j]!)) / T;
      // d KL/dz_j = p_j·(log p_j − log q_j − KL)/T.
      const dk = (p[j]! * (Math.log(p[j]!) - Math.log(s.refProbs[j]!) - rowKl)) / T;
      dLogits[off + digits[j]!] = (pg + o.klCoef * dk) / m;
    }
  });
  return { loss: loss / m, kl: kl / m, clipped: clipped / m, ratio: ratioSum / m };
}
