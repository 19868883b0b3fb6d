import { createRequire } from 'node:module';

interface Display {
  html(s: string): void;
  markdown(s: string): void;
  svg(s: string): void;
  png(b: Uint8Array): void;
  text(s: string): void;
}

const require = createRequire(import.meta.url);

/** tslab's display when running inside the tslab kernel; a text fallback elsewhere (scripts, tests). */
function display(): Display {
  try {
    return (require('tslab') as { display: Display }).display;
  } catch {
    const log = (s: string) => console.log(s);
    return {
      html: log,
      markdown: log,
      svg: (s) => log(`[svg ${s.length} bytes]`),
      png: (b) => log(`[png ${b.length} bytes]`),
      text: log,
    };
  }
}

/** Shows an SVG (e.g. from `plotSeries`) as a cell output. */
export function showSvg(svg: string): void {
  display().svg(svg);
}

/** Shows PNG bytes (e.g. an arena frame from `renderPng`) as a cell output. */
export function showPng(png: Uint8Array): void {
  display().png(png);
}

/** Shows Markdown (tables from `atomsTable`, `snapshotSummary`). */
export function showMarkdown(md: string): void {
  display().markdown(md);
}
