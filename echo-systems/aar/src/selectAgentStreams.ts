import { distinctUntilChanged, filter, from, map, type Observable, share } from 'rxjs';
import type { ActorRefFrom } from 'xstate';
import type { Decision, Percept } from './AgentMind.ts';
import type { aarMachine, TickRecord } from './aarMachine.ts';

/** One agent's sensory-motor streams. */
export interface AgentStreams {
  /** Every percept the agent receives (after each arena step). */
  sensor$: Observable<Percept>;
  /** Every decision the agent acts on. */
  motor$: Observable<Decision>;
  /** The body-state vector of each percept. */
  proprio$: Observable<Float32Array>;
}

/**
 * An observable selector over an orchestrator actor: each tick's record, once (read from the actor's
 * snapshots, never by subscribing inside machine actions).
 */
export function selectTicks(actor: ActorRefFrom<typeof aarMachine>): Observable<TickRecord> {
  return from(actor).pipe(
    map((s) => s.context.lastRecord),
    filter((r): r is TickRecord => r !== null),
    distinctUntilChanged(),
    share(),
  );
}

/**
 * One agent's `sensor$`, `motor$` and `proprio$`, derived from {@link selectTicks}.
 * @example const { motor$ } = selectAgentStreams(actor, 'agent_0'); motor$.subscribe((d) => log(d.action));
 */
export function selectAgentStreams(actor: ActorRefFrom<typeof aarMachine>, agentId: string): AgentStreams {
  const ticks$ = selectTicks(actor);
  const sensor$ = ticks$.pipe(
    map((r) => r.step.percepts[agentId]),
    filter((p): p is Percept => p !== undefined),
    share(),
  );
  return {
    sensor$,
    motor$: ticks$.pipe(
      map((r) => r.decisions[agentId]),
      filter((d): d is Decision => d !== undefined),
    ),
    proprio$: sensor$.pipe(map((p) => p.proprio)),
  };
}
