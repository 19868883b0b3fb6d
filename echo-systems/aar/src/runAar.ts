import { createActor } from 'xstate';
import { type AarInput, aarMachine, type TickRecord } from './aarMachine.ts';

/** The outcome of a whole run. */
export interface AarRunResult {
  ticks: number;
  records: TickRecord[];
}

/**
 * Runs the orchestrator to its end and returns every tick's record (also streamed to `onTick`).
 * @example const { ticks } = await runAar({ adapter, minds, seed: 1, maxTicks: 100, clock: 'lockstep' })
 */
export function runAar(input: AarInput, onTick?: (record: TickRecord) => void): Promise<AarRunResult> {
  return new Promise((resolve, reject) => {
    const actor = createActor(aarMachine, { input });
    const records: TickRecord[] = [];
    let last: TickRecord | null = null;
    actor.subscribe({
      next: (snap) => {
        const rec = snap.context.lastRecord;
        if (rec && rec !== last) {
          last = rec;
          records.push(rec);
          onTick?.(rec);
        }
        if (snap.status === 'done') resolve({ ticks: snap.context.tick, records });
      },
      error: reject,
    });
    actor.start();
    actor.send({ type: 'aar.start' });
  });
}
