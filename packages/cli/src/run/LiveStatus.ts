import type { TickRecord } from '@dte/aar';

/**
 * The live terminal summary of `dte run`: on a TTY a redrawn block (progress bar, per-agent body
 * state, thoughts/s); otherwise one progress line per 10% so logs stay readable.
 */
export class LiveStatus {
  private lastDecile = -1;
  private numThoughts = 0;
  private readonly started = performance.now();
  private drawnLines = 0;

  constructor(
    private readonly out: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly maxTicks: number,
  ) {}

  update(
    record: TickRecord,
    bodies: Array<{ id: string; energy: number; hydration: number; health: number; alive: boolean }>,
  ): void {
    for (const d of Object.values(record.decisions)) if (d.source === 'thought') this.numThoughts++;
    const done = record.tick + 1;
    const elapsed = (performance.now() - this.started) / 1000;
    const thoughtsPerS = this.numThoughts / Math.max(elapsed, 1e-3);
    const alive = bodies.filter((b) => b.alive).length;
    const head = `tick ${done}/${this.maxTicks}  alive ${alive}/${bodies.length}  thoughts/s ${thoughtsPerS.toFixed(1)}  ticks/s ${(done / Math.max(elapsed, 1e-3)).toFixed(1)}`;
    if (this.out.isTTY) {
      const width = 30;
      const filled = Math.round((done / this.maxTicks) * width);
      const lines = [
        `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${head}`,
        ...bodies.map(
          (b) =>
            `  ${b.id.padEnd(10)} ${b.alive ? '' : '† '}E ${pct(b.energy)} W ${pct(b.hydration)} H ${pct(b.health)}  ${record.decisions[b.id]?.source ?? ''}`,
        ),
      ];
      if (this.drawnLines) this.out.write(`\x1b[${this.drawnLines}A`);
      this.out.write(`${lines.map((l) => `\x1b[2K${l}`).join('\n')}\n`);
      this.drawnLines = lines.length;
    } else {
      const decile = Math.floor((done / this.maxTicks) * 10);
      if (decile !== this.lastDecile) {
        this.lastDecile = decile;
        this.out.write(`${head}\n`);
      }
    }
  }
}

function pct(v: number): string {
  return `${Math.round(v * 100)}%`.padStart(4);
}
