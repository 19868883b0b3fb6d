/**
 * A Prometheus histogram: cumulative bucket counts, sum and count, rendered in the text format.
 * @example const h = new Histogram('dte_ttft_seconds', 'Time to first token', [0.01, 0.1, 1]); h.observe(0.05)
 */
export class Histogram {
  readonly name: string;
  readonly help: string;
  readonly bounds: readonly number[];
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(name: string, help: string, bounds: readonly number[]) {
    this.name = name;
    this.help = help;
    this.bounds = [...bounds].sort((a, b) => a - b);
    this.counts = new Array<number>(this.bounds.length).fill(0);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) return;
    this.sum += value;
    this.count++;
    for (let i = 0; i < this.bounds.length; i++) if (value <= this.bounds[i]!) this.counts[i]!++;
  }

  get numObservations(): number {
    return this.count;
  }

  /** Lines of the text exposition format (HELP, TYPE, buckets, +Inf, sum, count). */
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (let i = 0; i < this.bounds.length; i++) {
      lines.push(`${this.name}_bucket{le="${this.bounds[i]}"} ${this.counts[i]}`);
    }
    lines.push(
      `${this.name}_bucket{le="+Inf"} ${this.count}`,
      `${this.name}_sum ${this.sum}`,
      `${this.name}_count ${this.count}`,
    );
    return lines;
  }
}
