import { describe, expect, it } from 'vitest';
import { lossCurveSvg } from './lossCurveSvg.ts';

describe('lossCurveSvg', () => {
  const losses = Array.from({ length: 200 }, (_, i) => 6 * Math.exp(-i / 40) + 0.4 + 0.05 * Math.sin(i));

  it('draws the raw and smoothed curves over every step, log-scaled, with the held-out line', () => {
    const svg = lossCurveSvg(losses, { title: 'demo <run>', heldOut: 0.5 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title>demo &lt;run&gt;</title>');
    const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]+)"/g)].map((m) => m[1]!.split(' '));
    expect(lines).toHaveLength(2);
    for (const pts of lines) expect(pts).toHaveLength(200);
    // Higher loss is drawn higher (smaller y); the first point is the highest of the raw curve.
    const ys = lines[0]!.map((p) => Number(p.split(',')[1]));
    expect(ys[0]).toBe(Math.min(...ys));
    expect(ys[199]!).toBeGreaterThan(ys[0]!);
    expect(svg).toContain('held-out 0.500');
    expect(svg).toContain('stroke-dasharray');
  });

  it('rejects empty or non-positive losses', () => {
    for (const bad of [[], [1, 0], [1, Number.NaN]])
      expect(() => lossCurveSvg(bad)).toThrow(expect.objectContaining({ code: 'DTE_ERR_TRAINER_BAD_OPTIONS' }));
  });
});
