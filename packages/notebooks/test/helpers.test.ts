import { describe, expect, it } from 'vitest';
import { markdownTable, plotSeries, snapshotSummary } from '../src/index.ts';

describe('notebook helpers', () => {
  it('plotSeries renders an SVG with one path per series', async () => {
    const svg = await plotSeries({ a: [1, 2, 3, 2], b: [0, 1, 0, 1] }, { title: 'two series' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('two series');
    expect(
      (svg.match(/<path[^>]*class="[^"]*"[^>]*d="M/g) ?? []).length + (svg.match(/mark-line/g) ?? []).length,
    ).toBeGreaterThan(0);
  });

  it('markdownTable escapes pipes and rounds numbers', () => {
    const md = markdownTable([{ atom: 'a|b', sti: 1.234567 }]);
    expect(md).toBe('| atom | sti |\n|---|---|\n| a\\|b | 1.235 |');
    expect(markdownTable([])).toBe('_(no rows)_');
  });

  it('snapshotSummary shows the state value and scalar context fields', () => {
    const md = snapshotSummary({ value: { running: 'waiting' }, status: 'active', context: { tick: 3, agents: {} } });
    expect(md).toContain('`{"running":"waiting"}`');
    expect(md).toContain('| tick | 3 |');
    expect(md).not.toContain('agents');
  });
});
