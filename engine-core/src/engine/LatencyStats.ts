/** Summary of a latency series, in milliseconds. */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  max: number;
}

/** Keeps the most recent latency samples (bounded) and summarises them. */
export class LatencyStats {
  private readonly samples: number[] = [];
  private readonly capacity: number;
  private next = 0;
  count = 0;

  constructor(capacity = 4096) {
    this.capacity = capacity;
  }

  record(ms: number): void {
    if (this.samples.length < this.capacity) this.samples.push(ms);
    else this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.capacity;
    this.count++;
  }

  summary(): LatencySummary {
    const s = [...this.samples].sort((a, b) => a - b);
    if (s.length === 0) return { count: 0, mean: 0, p50: 0, p90: 0, max: 0 };
    const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
    return {
      count: this.count,
      mean: s.reduce((a, b) => a + b, 0) / s.length,
      p50: at(0.5),
      p90: at(0.9),
      max: s[s.length - 1]!,
    };
  }
}
