import { assign, fromPromise, sendParent, setup } from 'xstate';
import type { AgentMind, Decision, DecisionSource, Deliberation, Percept, SenseResult } from './AgentMind.ts';

/** Events an agent accepts: a new percept, or the tick's deadline. */
export type AgentEvent = { type: 'agent.percept'; percept: Percept } | { type: 'agent.deadline'; tick: number };

export interface AgentContext {
  mind: AgentMind;
  percept: Percept | null;
  sense: SenseResult | null;
  decision: Decision | null;
  /** Why sensing failed this tick (the agent then takes a safe action). */
  senseError: unknown;
  numThoughts: number;
  numReflexes: number;
}

/** The parent is told of each decision, with what the agent sensed on the way to it. */
export interface AgentDecided {
  type: 'agent.decided';
  decision: Decision;
  sense: SenseResult | null;
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
  const deliberated = context.sense?.deliberation !== undefined;
  // Whatever decided, the action must be legal; anything else falls back to the reflex's.
  if (!legal) {
    const reflex = context.sense?.reflex ?? 0;
    const safe = context.percept?.actionMask[reflex] === 1 ? reflex : 0;
    return { agentId, tick, action: safe, source: 'reflex-error', urgency, deliberated };
  }
  const extra = out
    ? { thought: out.thought, ...(out.latencyMs === undefined ? {} : { latencyMs: out.latencyMs }) }
    : {};
  return { agentId, tick, action, source, urgency, deliberated, ...extra };
}

/**
 * One agent, owning its sense → deliberate → act cycle: a percept arrives (`agent.percept`); `sensing`
 * runs the mind's fast path (DTESN, memory, attention, reflex and motor); then either `deliberating`
 * (an invoked engine call: the mind chooses a goal and the tick's action follows from it) or straight
 * to `acting` on the reflex. A failed deliberation, or one still running at the tick's deadline
 * (`agent.deadline`), falls back to the reflex; the invoked call is stopped, which aborts its request.
 * Every decision is reported to the parent (`agent.decided`) on entering `acting`.
 */
export const agentMachine = setup({
  types: {
    context: {} as AgentContext,
    input: {} as { mind: AgentMind },
    events: {} as AgentEvent,
  },
  actors: {
    deliberate: fromPromise<Deliberation, { mind: AgentMind; percept: Percept; sense: SenseResult }>(
      ({ input, signal }) => input.mind.deliberate(input.percept, input.sense, signal),
    ),
  },
  guards: {
    senseFailed: ({ context }) => context.sense === null,
    wantsToDeliberate: ({ context }) =>
      context.percept !== null &&
      context.sense !== null &&
      context.mind.wantsToDeliberate(context.percept, context.sense),
    isCurrentTick: ({ context, event }) => event.type === 'agent.deadline' && event.tick === context.percept?.tick,
  },
  actions: {
    storePercept: assign(({ event }) =>
      event.type === 'agent.percept' ? { percept: event.percept, sense: null, decision: null, senseError: null } : {},
    ),
    sense: assign(({ context }) => {
      try {
        return { sense: context.mind.sense(context.percept!) };
      } catch (error) {
        return { sense: null, senseError: error };
      }
    }),
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
    takeThought: assign(({ context }, out: Deliberation) => ({
      decision: decide(context, out.action, 'thought', out),
      numThoughts: context.numThoughts + 1,
    })),
    remember: ({ context }) => {
      if (context.decision && context.percept) context.mind.remember(context.decision, context.percept);
    },
    reportDecision: sendParent(
      ({ context }): AgentDecided => ({ type: 'agent.decided', decision: context.decision!, sense: context.sense }),
    ),
  },
}).createMachine({
  id: 'agent',
  context: ({ input }) => ({
    mind: input.mind,
    percept: null,
    sense: null,
    decision: null,
    senseError: null,
    numThoughts: 0,
    numReflexes: 0,
  }),
  initial: 'waiting',
  on: {
    'agent.percept': { target: '.sensing', actions: 'storePercept', reenter: true },
  },
  states: {
    waiting: {},
    sensing: {
      entry: 'sense',
      always: [
        { guard: 'senseFailed', target: 'acting', actions: 'takeErrorReflex' },
        { guard: 'wantsToDeliberate', target: 'deliberating' },
        { target: 'acting', actions: 'takeReflex' },
      ],
    },
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
