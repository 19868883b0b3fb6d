import { ACTIONS } from '@dte/arena';

/**
 * The "You remember: …" lines of a deliberation prompt, kept the same way when the corpus is written
 * and when a model plays: the observation every 10th tick and every rewarded action; the prompt shows
 * the last three.
 */
export class EpisodeMemory {
  private readonly lines: string[] = [];

  /** After the prompt of tick `tick` is built: remember the observation on every 10th tick. */
  observed(tick: number, text: string): void {
    if (tick % 10 === 0) this.lines.push(`t${tick}: ${text}`);
  }

  /** After the arena step of tick `tick`: remember a positive reward and the action that earned it. */
  rewarded(tick: number, reward: number, action: number): void {
    if (reward > 0)
      this.lines.push(`t${tick}: I gained ${reward >= 0.5 ? 'a lot' : 'something'} by ${ACTIONS[action]}`);
  }

  /** The lines a prompt shows (the last three). */
  recent(): string[] {
    return this.lines.slice(-3);
  }
}
