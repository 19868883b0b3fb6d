import { TrainerError } from '../TrainerError.ts';

/** Options of {@link lossCurveSvg}. */
export interface LossCurveOptions {
  title?: string;
  /** Held-out loss at the end, drawn as a dashed line. */
  heldOut?: number;
  /** Window of the moving average drawn over the raw losses (default 25 steps). */
  smooth?: number;
  width?: number;
  height?: number;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A self-contained SVG line chart of per-step training losses (log-scaled y axis): the raw losses in
 * light grey, their moving average on top, and optionally the held-out loss as a dashed line.
 * @example writeFileSync('loss.svg', lossCurveSvg(losses, { title: 'echo-tiny', heldOut: 0.47 }))
 */
export function lossCurveSvg(losses: readonly number[], o: LossCurveOptions = {}): string {
  if (losses.length === 0 || losses.some((l) => !Number.isFinite(l) || l <= 0))
    throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', 'lossCurveSvg: losses must be finite and positive');
  const W = o.width ?? 720;
  const H = o.height ?? 400;
  const pad = { l: 56, r: 16, t: 32, b: 40 };
  const window = Math.max(1, o.smooth ?? 25);
  const smooth = losses.map((_, i) => {
    const from = Math.max(0, i - window + 1);
    let s = 0;
    for (let j = from; j <= i; j++) s += losses[j]!;
    return s / (i - from + 1);
  });
  const all = o.heldOut !== undefined ? [...losses, o.heldOut] : losses;
  const lo = Math.log10(Math.min(...all));
  const hi = Math.log10(Math.max(...all));
  const span = Math.max(hi - lo, 1e-6);
  const x = (i: number) => pad.l + ((W - pad.l - pad.r) * i) / Math.max(1, losses.length - 1);
  const y = (v: number) => pad.t + ((H - pad.t - pad.b) * (hi - Math.log10(v))) / span;
  const path = (vs: readonly number[]) => vs.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const ticks: string[] = [];
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (Math.log10(v) < lo - 1e-9 || Math.log10(v) > hi + 1e-9) continue;
      ticks.push(
        `<line x1="${pad.l}" x2="${W - pad.r}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/>` +
          `<text x="${pad.l - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v}</text>`,
      );
    }
  }
  const steps = losses.length;
  const held =
    o.heldOut === undefined
      ? ''
      : `<line x1="${pad.l}" x2="${W - pad.r}" y1="${y(o.heldOut).toFixed(1)}" y2="${y(o.heldOut).toFixed(1)}" stroke="#c33" stroke-dasharray="6 4"/>` +
        `<text x="${W - pad.r}" y="${(y(o.heldOut) - 6).toFixed(1)}" text-anchor="end" fill="#c33">held-out ${o.heldOut.toFixed(3)}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(o.title ?? 'training loss')}</title>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(o.title ?? 'training loss')}</text>`,
    ...ticks,
    `<polyline fill="none" stroke="#bbb" stroke-width="1" points="${path(losses)}"/>`,
    `<polyline fill="none" stroke="#2a6fdb" stroke-width="2" points="${path(smooth)}"/>`,
    held,
    `<line x1="${pad.l}" x2="${W - pad.r}" y1="${H - pad.b}" y2="${H - pad.b}" stroke="#333"/>`,
    `<line x1="${pad.l}" x2="${pad.l}" y1="${pad.t}" y2="${H - pad.b}" stroke="#333"/>`,
    `<text x="${pad.l}" y="${H - pad.b + 16}">0</text>`,
    `<text x="${W - pad.r}" y="${H - pad.b + 16}" text-anchor="end">${steps}</text>`,
    `<text x="${(pad.l + W - pad.r) / 2}" y="${H - 8}" text-anchor="middle">step (blue: ${window}-step moving average)</text>`,
    `<text x="14" y="${H / 2}" transform="rotate(-90 14 ${H / 2})" text-anchor="middle">cross-entropy (log scale)</text>`,
    '</svg>',
  ].join('\n');
}
