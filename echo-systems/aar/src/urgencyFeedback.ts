import { distinctUntilChanged, map, merge, type Observable, tap } from 'rxjs';
import { priorityOf } from './computeUrgency.ts';

/** What the feedback loop needs from the engine. */
export interface PrioritySink {
  setPriority(owner: string, priority: number): void;
}

/** One priority change the loop applied. */
export interface PriorityChange {
  owner: string;
  priority: number;
}

/**
 * The closed loop as a stream: every agent's urgency (from proprioception and its self atom's STI)
 * becomes its engine priority, applied live (queued and running requests alike) whenever it changes.
 * Subscribed by the orchestrator while it runs.
 * @example urgencyFeedback({ agent_0: mind.urgency$ }, engine).subscribe()
 */
export function urgencyFeedback(
  urgencies: Record<string, Observable<number>>,
  sink: PrioritySink,
): Observable<PriorityChange> {
  return merge(
    ...Object.entries(urgencies).map(([owner, urgency$]) =>
      urgency$.pipe(
        map((u) => priorityOf(u)),
        distinctUntilChanged(),
        map((priority) => ({ owner, priority })),
      ),
    ),
  ).pipe(tap(({ owner, priority }) => sink.setPriority(owner, priority)));
}
