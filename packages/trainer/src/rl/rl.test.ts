import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { groupAdvantages, type RolloutDecision } from './collectRollouts.ts';
import { curvesSvg } from './curvesSvg.ts';
import { optionProbs, policyLoss, probsFromLogprobs } from './policyLoss.ts';
import { trainRl } from './trainRl.ts';

const ECHO_TINY = fileURLToPath(new URL('../../models/echo-tiny.gguf', import.meta.url));

describe('the policy objective', () => {
  const V = 12;
  const digits = [3, 5, 7];
  const logits = Float64Array.from({ length: 2 * V }, (_, i) => Math.sin(i * 1.7));
  const samples = [
    { n: 3, action: 1, oldProb: 0.3, refProbs: Float64Array.of(0.2, 0.5, 0.3), advantage: 1.3 },
    { n: 2, action: 0, oldProb: 0.6, refProbs: Float64Array.of(0.7, 0.3), advantage: -0.8 },
  ];
  const o = { temperature: 0.5, clip: 10, klCoef: 0.3 };

  it('is a softmax over the option digits at the temperature, and matches the engine’s logprobs', () => {
    const p = optionProbs(logits, 0, digits, 3, 0.5);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Raw log-probabilities differ from logits by a constant: the same policy.
    const lse = Math.log([...logits.subarray(0, V)].reduce((a, z) => a + Math.exp(z), 0));
    const q = probsFromLogprobs(
      digits.map((d) => logits[d]! - lse),
      0.5,
    );
    for (let i = 0; i < 3; i++) expect(q[i]).toBeCloseTo(p[i]!, 12);
  });

  it('its gradient matches finite differences (PPO term and exact KL)', () => {
    const d = new Float64Array(2 * V);
    const base = policyLoss(logits, d, V, samples, digits, o).loss;
    expect(Number.isFinite(base)).toBe(true);
    for (const j of [3, 5, 7, V + 3, V + 5, 0]) {
      const h = 1e-6;
      const up = Float64Array.from(logits);
      up[j] = up[j]! + h;
      const dn = Float64Array.from(logits);
      dn[j] = dn[j]! - h;
      const fd =
        (policyLoss(up, new Float64Array(2 * V), V, samples, digits, o).loss -
          policyLoss(dn, new Float64Array(2 * V), V, samples, digits, o).loss) /
        (2 * h);
      expect(d[j]).toBeCloseTo(fd, 6);
    }
  });

  it('clips: past 1 + ε a good action earns nothing more, so its gradient is zero', () => {
    const d = new Float64Array(V);
    const p = optionProbs(logits, 0, digits, 3, 0.5);
    const r = policyLoss(logits, d, V, [{ ...samples[0]!, oldProb: p[1]! / 2 }], digits, {
      ...o,
      clip: 0.2,
      klCoef: 0,
    });
    expect(r.clipped).toBe(1);
    expect(r.ratio).toBeCloseTo(2, 10);
    for (const j of digits) expect(d[j]).toBe(0);
  });
});

describe('group advantages', () => {
  const dec = (group: string, ret: number): RolloutDecision => ({
    seed: 1,
    owner: 'a',
    tick: 0,
    prompt: '',
    n: 2,
    action: 0,
    optionLogprobs: [-1, -1],
    group,
    return: ret,
  });
  it('normalise returns within each class of state; a state alone in its class gets none', () => {
    const a = groupAdvantages([dec('x', 1), dec('x', 3), dec('y', 5), dec('x', 2)]);
    expect(a[0]).toBeCloseTo(-a[1]!, 10);
    expect(a[3]).toBeCloseTo(0, 10);
    expect(a[2]).toBe(0);
    expect(a[1]!).toBeGreaterThan(1);
  });
});

describe('trainRl', () => {
  it('learns through the serving engine, swaps its weights in, and resumes exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dte-rl-'));
    const small = { from: ECHO_TINY, episodes: 1, agents: 3, ticks: 40, batchSize: 8, seed: 3 };
    const straight = join(dir, 'straight.gguf');
    const h = await trainRl({ ...small, out: straight, iterations: 2 });
    expect(h).toHaveLength(2);
    expect(h[0]!.decisions).toBeGreaterThan(5);
    expect(h[1]!.kl).toBeGreaterThanOrEqual(0);
    expect(readFileSync(straight).equals(readFileSync(ECHO_TINY))).toBe(false); // the weights moved
    expect(readFileSync(join(dir, 'straight.reward.svg'), 'utf8')).toMatch(/<svg[\s\S]*polyline/);
    expect(readFileSync(join(dir, 'straight.kl.svg'), 'utf8')).toContain('KL');
    const resumed = join(dir, 'resumed.gguf');
    await trainRl({ ...small, out: resumed, iterations: 1 });
    const h2 = await trainRl({ ...small, out: resumed, iterations: 2, resume: true });
    expect(h2).toHaveLength(2);
    expect(readFileSync(resumed).equals(readFileSync(straight))).toBe(true);
    expect(h2[1]!.reward).toBe(h[1]!.reward);
  }, 300_000);

  it('refuses a missing checkpoint with DTE_ERR_TRAINER_BAD_OPTIONS', async () => {
    await expect(trainRl({ from: '/nowhere.gguf', out: '/tmp/x.gguf', iterations: 1 })).rejects.toThrow(
      expect.objectContaining({ code: 'DTE_ERR_TRAINER_BAD_OPTIONS' }),
    );
  });

  it('draws its curves as SVG and rejects non-finite values', () => {
    expect(curvesSvg({ a: [1, -2, 3] }, { title: 't' })).toMatch(/^<svg/);
    expect(() => curvesSvg({ a: [Number.NaN] }, { title: 't' })).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_TRAINER_BAD_OPTIONS' }),
    );
  });
});
