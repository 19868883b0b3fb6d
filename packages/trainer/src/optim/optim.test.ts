import { describe, expect, it } from 'vitest';
import { AdamW } from './AdamW.ts';
import { clipGradNorm } from './clipGradNorm.ts';
import { learningRateAt } from './cosineSchedule.ts';

describe('optimiser pieces', () => {
  it('AdamW takes a first step of lr·sign(g) (plus decay) and minimises a quadratic', () => {
    const p = Float32Array.from([1, -2]);
    const opt = new AdamW([2], { weightDecay: 0 });
    opt.step([p], [Float32Array.from([0.5, -3])], 0.1);
    expect(p[0]).toBeCloseTo(0.9, 5);
    expect(p[1]).toBeCloseTo(-1.9, 5);
    const q = Float32Array.from([3, -4]);
    const opt2 = new AdamW([2], { weightDecay: 0.01 });
    for (let i = 0; i < 500; i++) opt2.step([q], [Float32Array.from([2 * q[0]!, 2 * q[1]!])], 0.05);
    expect(Math.abs(q[0]!) + Math.abs(q[1]!)).toBeLessThan(0.05);
    // Decay is skipped for exempt buffers.
    const a = Float32Array.from([1]);
    const b = Float32Array.from([1]);
    new AdamW([1, 1], { weightDecay: 0.5 }, [true, false]).step(
      [a, b],
      [new Float32Array(1), new Float32Array(1)],
      0.1,
    );
    expect(a[0]).toBeCloseTo(0.95, 6);
    expect(b[0]).toBe(1);
  });

  it('clipGradNorm scales to the max norm and reports the norm before', () => {
    const g = [Float32Array.from([3]), Float32Array.from([4])];
    expect(clipGradNorm(g, 1)).toBeCloseTo(5, 6);
    expect(g[0]![0]).toBeCloseTo(0.6, 6);
    expect(g[1]![0]).toBeCloseTo(0.8, 6);
    expect(clipGradNorm(g, 10)).toBeCloseTo(1, 6);
    expect(g[1]![0]).toBeCloseTo(0.8, 6);
  });

  it('warmup is linear, then cosine decays to minLr', () => {
    const s = { maxLr: 1, minLr: 0.1, warmupSteps: 10, totalSteps: 110 };
    expect(learningRateAt(0, s)).toBeCloseTo(0.1);
    expect(learningRateAt(9, s)).toBeCloseTo(1);
    expect(learningRateAt(60, s)).toBeCloseTo(0.55);
    expect(learningRateAt(110, s)).toBe(0.1);
    for (let i = 10; i < 109; i++) expect(learningRateAt(i + 1, s)).toBeLessThanOrEqual(learningRateAt(i, s));
  });
});
