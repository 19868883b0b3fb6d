import type { StepResult } from './ParallelEnv.ts';

/**
 * Records an episode as JSONL: a header line, then one line per step with the actions, rewards,
 * terminations, truncations and the bodies after the step. No wall-clock values, so the same seed
 * and actions give byte-identical files.
 */
export class TrajectoryRecorder {
  private readonly lines: string[] = [];

  constructor(header: Record<string, unknown>) {
    this.lines.push(JSON.stringify({ type: 'header', ...header }));
  }

  /** Appends one step. `bodies` is whatever per-agent state the caller wants kept (rounded here). */
  record(tick: number, actions: Record<string, number>, result: StepResult<unknown, unknown>, bodies: unknown): void {
    this.lines.push(
      JSON.stringify(
        {
          type: 'step',
          tick,
          actions,
          rewards: result.rewards,
          terminations: result.terminations,
          truncations: result.truncations,
          bodies,
        },
        (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1e6) / 1e6 : v),
      ),
    );
  }

  /** The whole trajectory, one JSON object per line. */
  toJsonl(): string {
    return `${this.lines.join('\n')}\n`;
  }

  get numLines(): number {
    return this.lines.length;
  }
}
