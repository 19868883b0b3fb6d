import { type Vec, zerosLike } from './Vec.ts';

/**
 * Mean cross-entropy of logits [N×V] against targets (−1 = not scored), and its gradient
 * dlogits = (softmax − onehot) / numScored. Returns loss 0 and a zero gradient when nothing is scored.
 */
export function crossEntropy(
  logits: Vec,
  targets: Int32Array,
  v: number,
): { loss: number; dLogits: Vec; numScored: number } {
  const n = targets.length;
  const dLogits = zerosLike(logits, n * v);
  let numScored = 0;
  for (const t of targets) if (t >= 0) numScored++;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const target = targets[i]!;
    if (target < 0) continue;
    const o = i * v;
    let max = -Infinity;
    for (let j = 0; j < v; j++) max = Math.max(max, logits[o + j]!);
    let z = 0;
    for (let j = 0; j < v; j++) z += Math.exp(logits[o + j]! - max);
    loss += Math.log(z) + max - logits[o + target]!;
    for (let j = 0; j < v; j++) dLogits[o + j] = Math.exp(logits[o + j]! - max) / z / numScored;
    dLogits[o + target]! -= 1 / numScored;
  }
  return { loss: numScored ? loss / numScored : 0, dLogits, numScored };
}
