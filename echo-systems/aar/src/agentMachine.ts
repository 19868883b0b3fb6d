import { assign, fromPromise, sendParent, setup } from 'xstate';
import type { AgentMind, Decision, DecisionSource, Percept, SenseResult } from './AgentMind.ts';

/** Events an agent accepts: a new percept (with the fast path's result), or the tick's deadline. */
export type AgentEvent =
  | { type: 'agent.sense'; percept: Percept; sense: SenseResult }
  | { type: 'agent.deadline'; tick: number };

export interface AgentContext {
  mind: AgentMind;
  percept: Percept | null;
  sense: SenseResult | null;
  decision: Decision | null;
  numThoughts: number;
  numReflexes: number;
}

function decide(
  context: AgentContext,
  action: number,
  source: DecisionSource,
  out?: { thought: string; latencyMs?: number },
): Decision {
  const tick = context.percept?.tick ?? 0;
  const legal = context.percept?.actionMask[action] === 1;
  const urgency = context.sense?.urgency ?? 0;
  const agentId = context.mind.agentId;
  // A thought must name a legal action; anything else falls back to the reflex (never an illegal move).
  if (!legal) return { agentId, tick, action: context.sense?.reflex ?? 0, source: 'reflex-error', urgency };
  const extra = out
    ? { thought: out.thought, ...(out.latencyMs === undefined ? {} : { latencyMs: out.latencyMs }) }
    : {};
  return { agentId, tick, action, source, urgency, ...extra };
}

/**
 * One agent: `sensing` until a percept arrives, then `deliberating` (an invoked engine call) or straight
 * to `acting` on the reflex path; a failed or late deliberation falls back to the reflex. Every decision
 * is reported to the parent (`agent.decided`) on entering `acting`.
 */
export const agentMachine = setup({
  types: {
    context: {} as AgentContext,
    input: {} as { mind: AgentMind },
    events: {} as AgentEvent,
  },
  actors: {
    deliberate: fromPromise<
      { action: number; thought: string },
      { mind: AgentMind; percept: Percept; sense: SenseResult }
    >(({ input, signal }) => input.mind.deliberate(input.percept, input.sense, signal)),
  },
  guards: {
    wantsToDeliberate: ({ context, event }) =>
      event.type === 'agent.sense' && context.mind.wantsToDeliberate(event.percept, event.sense),
    isCurrentTick: ({ context, event }) => event.type === 'agent.deadline' && event.tick === context.percept?.tick,
  },
  actions: {
    storePercept: assign(({ event }) =>
      event.type === 'agent.sense' ? { percept: event.percept, sense: event.sense, decision: null } : {},
    ),
    takeReflex: assign(({ context }) => ({
      decision: decide(context, context.sense?.reflex ?? 0, 'reflex'),
      numReflexes: context.numReflexes + 1,
    })),
    takeLateReflex: assign(({ context }) => ({
      decision: decide(context, context.sense?.reflex ?? 0, 'reflex-late'),
      numReflexes: context.numReflexes + 1,
    })),
    takeErrorReflex: assign(({ context }) => ({
      decision: decide(context, context.sense?.reflex ?? 0, 'reflex-error'),
      numReflexes: context.numReflexes + 1,
    })),
    takeThought: assign(({ context }, out: { action: number; thought: string; latencyMs?: number }) => ({
      decision: decide(context, out.action, 'thought', out),
      numThoughts: context.numThoughts + 1,
    })),
    remember: ({ context }) => {
      if (context.decision && context.percept) context.mind.remember(context.decision, context.percept);
    },
    reportDecision: sendParent(({ context }) => ({ type: 'agent.decided' as const, decision: context.decision! })),
  },
}).createMachine({
  id: 'agent',
  context: ({ input }) => ({
    mind: input.mind,
    percept: null,
    sense: null,
    decision: null,
    numThoughts: 0,
    numReflexes: 0,
  }),
  initial: 'sensing',
  on: {
    'agent.sense': [
      { guard: 'wantsToDeliberate', target: '.deliberating', actions: 'storePercept', reenter: true },
      { target: '.acting', actions: ['storePercept', 'takeReflex'], reenter: true },
    ],
  },
  states: {
    sensing: {},
    deliberating: {
      invoke: {
        src: 'deliberate',
        input: ({ context }) => ({ mind: context.mind, percept: context.percept!, sense: context.sense! }),
        onDone: { target: 'acting', actions: { type: 'takeThought', params: ({ event }) => event.output } },
        onError: { target: 'acting', actions: 'takeErrorReflex' },
      },
      on: { 'agent.deadline': { guard: 'isCurrentTick', target: 'acting', actions: 'takeLateReflex' } },
    },
    acting: {
      entry: ['remember', 'reportDecision'],
    },
  },
});
