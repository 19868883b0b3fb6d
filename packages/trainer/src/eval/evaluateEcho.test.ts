import { describe, expect, it } from 'vitest';
import { evaluateEcho, evaluateExpert } from './evaluateEcho.ts';
import { mean, t95, tInterval95 } from './stats.ts';

describe('evaluateEcho', () => {
  const o = { seeds: [3, 4], agents: 2, ticks: 20 };

  it('runs each seed for the teacher and random: per-seed reward and survival, means and finite 95% intervals', async () => {
    for (const variant of ['teacher', 'random'] as const) {
      const e = await evaluateEcho({ ...o, variant });
      expect(e.variant).toBe(variant);
      expect(e.seeds).toEqual([3, 4]);
      expect(e.reward).toHaveLength(2);
      expect(e.survival).toHaveLength(2);
      for (const s of e.survival) expect(s === 0 || s === 0.5 || s === 1).toBe(true);
      expect(e.reward.every(Number.isFinite)).toBe(true);
      expect(e.rewardMean).toBeCloseTo(mean(e.reward), 12);
      expect(e.survivalMean).toBeCloseTo(mean(e.survival), 12);
      expect(e.rewardCi95).toBeCloseTo(tInterval95(e.reward), 12);
      for (const ci of [e.rewardCi95, e.survivalCi95]) {
        expect(Number.isFinite(ci)).toBe(true);
        expect(ci).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('is deterministic: the same options give the same figures; the seeds are different worlds', async () => {
    const a = await evaluateEcho({ ...o, variant: 'teacher' });
    expect(await evaluateEcho({ ...o, variant: 'teacher' })).toEqual(a);
    expect(a.reward[0]).not.toBe(a.reward[1]);
    expect(a.rewardCi95).toBeGreaterThan(0);
    const r = await evaluateEcho({ ...o, variant: 'random' });
    expect(await evaluateEcho({ ...o, variant: 'random' })).toEqual(r);
    const single = await evaluateEcho({ ...o, seeds: [4], variant: 'teacher' });
    expect(single.reward).toEqual([a.reward[1]]);
    expect(Number.isNaN(single.rewardCi95)).toBe(true);
  });

  it('rejects a model variant without a model and bad sizes', async () => {
    for (const bad of [
      { ...o, variant: 'full' as const },
      { ...o, seeds: [], variant: 'teacher' as const },
      { ...o, agents: 0, variant: 'teacher' as const },
      { ...o, ticks: 0, variant: 'random' as const },
      { ...o, temperature: -1, variant: 'teacher' as const },
    ])
      await expect(evaluateEcho(bad)).rejects.toMatchObject({
        code: 'DTE_ERR_TRAINER_BAD_OPTIONS',
      });
  });
});

describe('evaluateExpert', () => {
  const o = { seeds: [101, 102, 103, 104], agents: 8, ticks: 200 };

  it('the reactive expert thrives in the classic world and falls below the planning teacher in the oases', async () => {
    const classic = evaluateExpert({ ...o, world: 'classic' });
    const oases = evaluateExpert(o);
    expect(evaluateExpert(o)).toEqual(oases);
    expect(classic.survivalMean).toBeGreaterThan(0.8);
    expect(oases.survivalMean).toBeLessThan(classic.survivalMean - 0.2);
    const teacher = await evaluateEcho({ ...o, variant: 'teacher' });
    expect(oases.rewardMean + oases.rewardCi95).toBeLessThan(teacher.rewardMean - teacher.rewardCi95);
    expect(oases.survivalMean).toBeLessThan(teacher.survivalMean);
    expect(() => evaluateExpert({ ...o, seeds: [] })).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_TRAINER_BAD_OPTIONS' }),
    );
  }, 120_000);
});

describe('95% t-intervals', () => {
  it('match the t distribution', () => {
    expect(t95(1)).toBe(12.706);
    expect(t95(7)).toBe(2.365);
    // Beyond the table (exact values from the t quantile function).
    expect(t95(31)).toBeCloseTo(2.0395, 3);
    expect(t95(60)).toBeCloseTo(2.0003, 3);
    expect(t95(1000)).toBeCloseTo(1.9623, 3);
    expect(Number.isNaN(t95(0))).toBe(true);
    // [1, 2, 3]: sd 1, n 3 → 4.303 / √3.
    expect(tInterval95([1, 2, 3])).toBeCloseTo(4.303 / Math.sqrt(3), 12);
    expect(tInterval95([5, 5, 5, 5])).toBe(0);
    expect(Number.isNaN(tInterval95([1]))).toBe(true);
    expect(Number.isNaN(mean([]))).toBe(true);
  });
});
