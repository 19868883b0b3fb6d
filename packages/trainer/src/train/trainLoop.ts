import { Rng } from '@dte/arena';
import type { TinyLlama } from '../model/TinyLlama.ts';
import { AdamW, type AdamWOptions } from '../optim/AdamW.ts';
import { clipGradNorm } from '../optim/clipGradNorm.ts';
import { type CosineSchedule, learningRateAt } from '../optim/cosineSchedule.ts';
import { TrainerError } from '../TrainerError.ts';

/** Options of {@link trainLoop}. */
export interface TrainLoopOptions {
  steps: number;
  batchSize: number;
  seqLen: number;
  schedule: CosineSchedule;
  seed: number;
  clip?: number;
  adamw?: AdamWOptions;
  /** Resume: the first step to run (default 0) and the optimiser to continue (default: a fresh AdamW). */
  startStep?: number;
  optimizer?: AdamW;
  /**
   * With a mask aligned to the stream (1 = answer token), only answer targets are scored plus, with
   * `promptFraction` > 0, that seeded fraction of the other targets (default 0: answers only).
   */
  answerMask?: Uint8Array;
  /** Start every window at an occurrence of this token (e.g. `<s>`), so whole records are seen. */
  alignTo?: number;
  promptFraction?: number;
  /** Called after every step. */
  onStep?: (info: { step: number; loss: number; lr: number; gradNorm: number }) => void;
}

/**
 * Trains a float32 {@link TinyLlama} on random windows of a token stream (seeded): per step, `batchSize`
 * windows of `seqLen + 1` tokens, next-token cross-entropy, global-norm clipping, warmup + cosine
 * learning rate and AdamW (no decay on norm gains). Returns the loss of every step.
 * @example const losses = trainLoop(model, stream, { steps: 300, batchSize: 8, seqLen: 64, schedule, seed: 1 })
 */
export function trainLoop(model: TinyLlama, stream: Int32Array, o: TrainLoopOptions): number[] {
  if (stream.length < o.seqLen + 2)
    throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', 'trainLoop: the token stream is shorter than one window');
  const names = [...model.params.keys()];
  const params = names.map((n) => model.params.get(n)) as Float32Array[];
  const grads = names.map((n) => model.grads.get(n)) as Float32Array[];
  if (params.some((p) => !(p instanceof Float32Array)))
    throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', 'trainLoop: parameters must be float32');
  const opt = o.optimizer ?? createOptimizer(model, o.adamw);
  const starts: number[] = [];
  if (o.alignTo !== undefined)
    for (let i = 0; i + o.seqLen + 1 <= stream.length; i++) if (stream[i] === o.alignTo) starts.push(i);
  if (o.alignTo !== undefined && starts.length === 0)
    throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', 'trainLoop: no window starts at alignTo');
  const tokens = new Int32Array(o.batchSize * o.seqLen);
  const targets = new Int32Array(o.batchSize * o.seqLen);
  const losses: number[] = [];
  for (let step = o.startStep ?? 0; step < o.steps; step++) {
    // Windows are drawn from a per-step seed, so a resumed run sees the same batches.
    const rng = new Rng((Math.imul(o.seed, 1000003) + step) >>> 0);
    for (let b = 0; b < o.batchSize; b++) {
      const start = starts.length ? starts[rng.int(starts.length)]! : rng.int(stream.length - o.seqLen - 1);
      tokens.set(stream.subarray(start, start + o.seqLen), b * o.seqLen);
      targets.set(stream.subarray(start + 1, start + o.seqLen + 1), b * o.seqLen);
      if (o.answerMask) {
        for (let i = 0; i < o.seqLen; i++) {
          if (o.answerMask[start + 1 + i] === 1) continue;
          if (!(rng.next() < (o.promptFraction ?? 0))) targets[b * o.seqLen + i] = -1;
        }
      }
    }
    const loss = model.lossAndGrad(tokens, targets, o.batchSize);
    const gradNorm = clipGradNorm(grads, o.clip ?? 1);
    const lr = learningRateAt(step, o.schedule);
    opt.step(params, grads, lr);
    losses.push(loss);
    o.onStep?.({ step, loss, lr, gradNorm });
  }
  return losses;
}

/** The AdamW of {@link trainLoop} for a model: one moment pair per parameter, no decay on norm gains. */
export function createOptimizer(model: TinyLlama, adamw?: AdamWOptions): AdamW {
  const names = [...model.params.keys()];
  return new AdamW(
    names.map((n) => model.params.get(n)!.length),
    adamw,
    names.map((n) => !n.endsWith('norm.weight')),
  );
}
