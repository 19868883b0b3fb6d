/** A learning-rate schedule: linear warmup to `maxLr`, then cosine decay to `minLr` at `totalSteps`. */
export interface CosineSchedule {
  maxLr: number;
  minLr: number;
  warmupSteps: number;
  totalSteps: number;
}

/** The learning rate at `step` (0-based) of a warmup + cosine schedule; `minLr` after the end. */
export function learningRateAt(step: number, s: CosineSchedule): number {
  if (step < s.warmupSteps) return (s.maxLr * (step + 1)) / s.warmupSteps;
  if (step >= s.totalSteps) return s.minLr;
  const progress = (step - s.warmupSteps) / Math.max(1, s.totalSteps - s.warmupSteps);
  return s.minLr + 0.5 * (s.maxLr - s.minLr) * (1 + Math.cos(Math.PI * progress));
}
