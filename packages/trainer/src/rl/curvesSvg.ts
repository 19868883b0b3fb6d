import { TrainerError } from '../TrainerError.ts';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * A line chart of one or more series over iterations, on a linear scale (rewards may be negative), as
 * a standalone SVG with a title, axes, ticks and a legend.
 * @example writeFileSync('reward.svg', curvesSvg({ reward: [1.2, 1.5, 1.9] }, { title: 'RL reward' }))
 */
export function curvesSvg(
  series: Readonly<Record<string, readonly number[]>>,
  o: { title: string; xLabel?: string; yLabel?: string; width?: number; height?: number },
): string {
  const entries = Object.entries(series).filter(([, v]) => v.length > 0);
  if (entries.length === 0 || entries.some(([, v]) => v.some((x) => !Number.isFinite(x))))
    throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', 'curvesSvg: give at least one series of finite values');
  const W = o.width ?? 720;
  const H = o.height ?? 360;
  const pad = { l: 64, r: 130, t: 36, b: 44 };
  const all = entries.flatMap(([, v]) => v);
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const n = Math.max(...entries.map(([, v]) => v.length));
  const x = (i: number) => pad.l + ((W - pad.l - pad.r) * i) / Math.max(1, n - 1);
  const y = (v: number) => pad.t + ((H - pad.t - pad.b) * (hi - v)) / (hi - lo);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(o.title)}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(o.title)}</text>`,
    `<line x1="${pad.l}" y1="${H - pad.b}" x2="${W - pad.r}" y2="${H - pad.b}" stroke="black"/>`,
    `<line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${H - pad.b}" stroke="black"/>`,
  ];
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    parts.push(
      `<line x1="${pad.l - 4}" y1="${y(v).toFixed(1)}" x2="${W - pad.r}" y2="${y(v).toFixed(1)}" stroke="#ddd"/>`,
      `<text x="${pad.l - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v.toPrecision(3)}</text>`,
    );
  }
  for (let i = 0; i < n; i++) {
    if (n > 12 && i % Math.ceil(n / 12) !== 0) continue;
    parts.push(`<text x="${x(i).toFixed(1)}" y="${H - pad.b + 16}" text-anchor="middle">${i}</text>`);
  }
  parts.push(
    `<text x="${(pad.l + W - pad.r) / 2}" y="${H - 8}" text-anchor="middle">${esc(o.xLabel ?? 'iteration')}</text>`,
  );
  if (o.yLabel)
    parts.push(
      `<text x="14" y="${H / 2}" text-anchor="middle" transform="rotate(-90 14 ${H / 2})">${esc(o.yLabel)}</text>`,
    );
  entries.forEach(([name, v], k) => {
    const c = COLORS[k % COLORS.length]!;
    const pts = v.map((val, i) => `${x(i).toFixed(1)},${y(val).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts}"/>`);
    for (const [i, val] of v.entries())
      parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(val).toFixed(1)}" r="2.5" fill="${c}"/>`);
    parts.push(
      `<line x1="${W - pad.r + 12}" y1="${pad.t + 16 * k + 6}" x2="${W - pad.r + 30}" y2="${pad.t + 16 * k + 6}" stroke="${c}" stroke-width="2"/>`,
      `<text x="${W - pad.r + 36}" y="${pad.t + 16 * k + 10}">${esc(name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
