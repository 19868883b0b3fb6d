import { type ActorRefFrom, waitFor } from 'xstate';
import type { aarMachine, TickRecord } from './aarMachine.ts';

/**
 * Runs exactly one tick of an orchestrator actor (from idle or paused) and resolves with its record,
 * or `null` once the run is over. For stepping the echo loop by hand.
 * @example const actor = createActor(aarMachine, { input }).start(); const rec = await stepAar(actor);
 */
export async function stepAar(actor: ActorRefFrom<typeof aarMachine>): Promise<TickRecord | null> {
  const before = actor.getSnapshot();
  if (before.status === 'done') return null;
  actor.send({ type: 'aar.step' });
  const after = await waitFor(
    actor,
    (s) => s.status === 'done' || (s.matches('paused') && s.context.lastRecord !== before.context.lastRecord),
  );
  return after.context.lastRecord !== before.context.lastRecord ? after.context.lastRecord : null;
}
