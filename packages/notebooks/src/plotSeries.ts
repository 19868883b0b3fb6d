import type { TopLevelSpec } from 'vega-lite';

/** Options of {@link plotSeries}. */
export interface PlotOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
  /** 'line' (default) or 'point'. */
  mark?: 'line' | 'point';
}

/**
 * Plots named numeric series against their index as an SVG string, with Vega-Lite rendered headless.
 * @example const svg = await plotSeries({ truth: ys, prediction: ps }, { title: 'Mackey-Glass' })
 */
export async function plotSeries(series: Record<string, ArrayLike<number>>, opts: PlotOptions = {}): Promise<string> {
  const values: Array<{ x: number; y: number; series: string }> = [];
  for (const [name, ys] of Object.entries(series)) {
    for (let i = 0; i < ys.length; i++) {
      const y = ys[i]!;
      if (Number.isFinite(y)) values.push({ x: i, y, series: name });
    }
  }
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(opts.title ? { title: opts.title } : {}),
    width: opts.width ?? 560,
    height: opts.height ?? 220,
    data: { values },
    mark: { type: opts.mark ?? 'line', ...(opts.mark === 'point' ? { size: 12 } : { strokeWidth: 1.5 }) },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: opts.xLabel ?? 'step' },
      y: { field: 'y', type: 'quantitative', title: opts.yLabel ?? 'value', scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
  // Loaded lazily as real ES modules: vega uses top-level await, so it cannot be require()d from the
  // CommonJS code tslab compiles notebook cells to.
  const vega = await import('vega');
  const { compile } = await import('vega-lite');
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
