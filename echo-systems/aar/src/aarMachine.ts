import { EMPTY, type Observable } from 'rxjs';
import { type ActorRefFrom, assign, enqueueActions, fromObservable, fromPromise, setup, stopChild } from 'xstate';
import type { AgentMind, Decision, Percept, SenseResult } from './AgentMind.ts';
import type { AdapterStep, ArenaAdapter } from './ArenaAdapter.ts';
import { agentMachine } from './agentMachine.ts';

/** `lockstep`: every tick waits for every live agent's decision (reproducible); `realtime`: fixed tick rate, late thoughts fall back to reflexes. */
export type ClockMode = 'lockstep' | 'realtime';

export interface AarInput {
  adapter: ArenaAdapter;
  minds: Record<string, AgentMind>;
  seed: number;
  maxTicks: number;
  clock: ClockMode;
  /** Tick period for the realtime clock, in ms. */
  tickMs?: number;
  /** A side-effecting stream kept subscribed while running (the urgency → priority feedback loop). */
  feedback?: Observable<unknown>;
}

/** What happened on one tick (the stream viewers, recorders and summaries read). */
export interface TickRecord {
  tick: number;
  decisions: Record<string, Decision>;
  senses: Record<string, SenseResult>;
  step: AdapterStep;
}

export interface AarContext extends Required<Omit<AarInput, 'feedback'>> {
  feedback: Observable<unknown> | null;
  agents: Record<string, ActorRefFrom<typeof agentMachine>>;
  tick: number;
  percepts: Record<string, Percept>;
  senses: Record<string, SenseResult>;
  decisions: Record<string, Decision>;
  lastRecord: TickRecord | null;
  pauseRequested: boolean;
  tickStartedAt: number;
}

export type AarEvent =
  | { type: 'aar.start' }
  | { type: 'aar.pause' }
  | { type: 'aar.resume' }
  | { type: 'aar.stop' }
  | { type: 'aar.step' }
  | { type: 'agent.decided'; decision: Decision };

/**
 * The Agent-Arena-Relation orchestrator: idle → running ↔ paused → stopped. It spawns one
 * `agentMachine` per agent, runs each tick as sense (fast path per agent) → wait for decisions
 * (lockstep) or for the deadline (realtime) → step the arena, and stops after `maxTicks` or when no
 * agent is left.
 */
export const aarMachine = setup({
  types: {
    context: {} as AarContext,
    input: {} as AarInput,
    events: {} as AarEvent,
  },
  actors: {
    agent: agentMachine,
    feedback: fromObservable<unknown, Observable<unknown> | null>(({ input }) => input ?? EMPTY),
    stepArena: fromPromise<AdapterStep, { adapter: ArenaAdapter; actions: Record<string, number>; waitUntil: number }>(
      async ({ input }) => {
        // Yield to the event loop every tick (HTTP, viewers, timers keep running), and pace realtime ticks.
        const wait = Math.max(0, input.waitUntil - performance.now());
        await new Promise((resolve) => (wait > 0 ? setTimeout(resolve, wait) : setImmediate(resolve)));
        return input.adapter.step(input.actions);
      },
    ),
  },
  delays: {
    tickDeadline: ({ context }) => context.tickMs,
  },
  guards: {
    allDecided: ({ context }) => context.adapter.liveAgents().every((id) => context.decisions[id] !== undefined),
    isRealtime: ({ context }) => context.clock === 'realtime',
    isFinished: ({ context }) => context.tick >= context.maxTicks || context.adapter.liveAgents().length === 0,
    isPauseRequested: ({ context }) => context.pauseRequested,
  },
  actions: {
    resetWorld: assign(({ context, spawn }) => {
      const percepts = context.adapter.reset(context.seed);
      const agents: AarContext['agents'] = {};
      for (const id of context.adapter.agentIds) {
        const mind = context.minds[id];
        if (mind) agents[id] = spawn('agent', { id, input: { mind } });
      }
      return { percepts, agents, tick: 0 };
    }),
    senseAll: enqueueActions(({ context, enqueue }) => {
      const senses: Record<string, SenseResult> = {};
      for (const id of context.adapter.liveAgents()) {
        const percept = context.percepts[id];
        const mind = context.minds[id];
        if (!percept || !mind) continue;
        senses[id] = mind.sense(percept);
      }
      enqueue.assign({ senses, decisions: {}, tickStartedAt: performance.now() });
      for (const [id, sense] of Object.entries(senses)) {
        const ref = context.agents[id];
        const percept = context.percepts[id];
        if (ref && percept) enqueue.sendTo(ref, { type: 'agent.sense', percept, sense });
      }
    }),
    recordDecision: assign(({ context, event }) =>
      event.type === 'agent.decided' && event.decision.tick === context.tick
        ? { decisions: { ...context.decisions, [event.decision.agentId]: event.decision } }
        : {},
    ),
    sendDeadlines: enqueueActions(({ context, enqueue }) => {
      for (const id of context.adapter.liveAgents()) {
        const ref = context.agents[id];
        if (ref && !context.decisions[id]) enqueue.sendTo(ref, { type: 'agent.deadline', tick: context.tick });
      }
    }),
    applyStep: assign(({ context }, step: AdapterStep) => ({
      lastRecord: { tick: context.tick, decisions: context.decisions, senses: context.senses, step },
      percepts: step.percepts,
      tick: context.tick + 1,
    })),
    requestPause: assign({ pauseRequested: true }),
    clearPause: assign({ pauseRequested: false }),
    stopAgents: enqueueActions(({ context, enqueue }) => {
      for (const ref of Object.values(context.agents)) enqueue(stopChild(ref));
    }),
  },
}).createMachine({
  id: 'aar',
  context: ({ input }) => ({
    tickMs: 100,
    ...input,
    feedback: input.feedback ?? null,
    agents: {},
    tick: 0,
    percepts: {},
    senses: {},
    decisions: {},
    lastRecord: null,
    pauseRequested: false,
    tickStartedAt: 0,
  }),
  initial: 'idle',
  on: { 'aar.stop': '.stopped' },
  states: {
    idle: {
      on: {
        'aar.start': { target: 'running', actions: 'resetWorld' },
        // One tick, then pause: for stepping by hand (notebooks, debuggers).
        'aar.step': { target: 'running', actions: ['resetWorld', 'requestPause'] },
      },
    },
    running: {
      invoke: { src: 'feedback', input: ({ context }) => context.feedback },
      initial: 'sensing',
      on: { 'aar.pause': { actions: 'requestPause' } },
      states: {
        sensing: { entry: 'senseAll', always: 'waiting' },
        waiting: {
          on: { 'agent.decided': { actions: 'recordDecision' } },
          always: { guard: 'allDecided', target: 'stepping' },
          after: { tickDeadline: { guard: 'isRealtime', actions: 'sendDeadlines' } },
        },
        stepping: {
          invoke: {
            src: 'stepArena',
            input: ({ context }) => ({
              adapter: context.adapter,
              actions: Object.fromEntries(Object.entries(context.decisions).map(([id, d]) => [id, d.action])),
              waitUntil: context.clock === 'realtime' ? context.tickStartedAt + context.tickMs : 0,
            }),
            onDone: [
              {
                guard: 'isFinished',
                target: '#aar.stopped',
                actions: { type: 'applyStep', params: ({ event }) => event.output },
              },
              { target: 'checkPause', actions: { type: 'applyStep', params: ({ event }) => event.output } },
            ],
          },
        },
        checkPause: {
          always: [
            { guard: 'isFinished', target: '#aar.stopped' },
            { guard: 'isPauseRequested', target: '#aar.paused' },
            { target: 'sensing' },
          ],
        },
      },
    },
    paused: {
      entry: 'clearPause',
      on: { 'aar.resume': 'running', 'aar.step': { target: 'running', actions: 'requestPause' } },
    },
    stopped: { type: 'final', entry: 'stopAgents' },
  },
});
