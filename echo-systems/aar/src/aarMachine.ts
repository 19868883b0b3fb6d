import { EMPTY, type Observable } from 'rxjs';
import { type ActorRefFrom, assign, enqueueActions, fromObservable, fromPromise, setup, stopChild } from 'xstate';
import type { AgentMind, Decision, Percept, SenseResult } from './AgentMind.ts';
import type { AdapterStep, ArenaAdapter } from './ArenaAdapter.ts';
import { type AgentDecided, agentMachine } from './agentMachine.ts';

/**
 * `lockstep`: every tick waits for every live agent's decision (reproducible);
 * `realtime`: a fixed tick period in wall-clock ms, late thoughts fall back to reflexes;
 * `paced`: realtime with the clock counted in engine steps — each tick gives the engine `stepsPerTick`
 * scheduler steps, and what is not answered by then falls back to reflexes. Equal compute for every
 * run by construction, and reproducible from the seed (the wall clock plays no part).
 */
export type ClockMode = 'lockstep' | 'realtime' | 'paced';

/** What the paced clock needs from the engine: a promise for "n more scheduler steps (or idle)". */
export interface StepClock {
  afterSteps(n: number): Promise<void>;
}

export interface AarInput {
  adapter: ArenaAdapter;
  minds: Record<string, AgentMind>;
  seed: number;
  maxTicks: number;
  clock: ClockMode;
  /** Tick period for the realtime clock, in ms. */
  tickMs?: number;
  /** The engine and its steps per tick for the paced clock. */
  pace?: { engine: StepClock; stepsPerTick: number };
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

export interface AarContext extends Required<Omit<AarInput, 'feedback' | 'pace'>> {
  feedback: Observable<unknown> | null;
  pace: { engine: StepClock; stepsPerTick: number } | null;
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
  | AgentDecided;

/**
 * The Agent-Arena-Relation orchestrator: idle → running ↔ paused → stopped. It spawns one
 * `agentMachine` per agent and runs each tick explicitly: the attention tick of every mind (ECAN) →
 * a percept to every live agent (each senses, deliberates or not, and decides) → wait for every
 * decision (lockstep), for the deadline (realtime: `tickMs`; paced: `stepsPerTick` engine steps) →
 * step the arena. It stops after `maxTicks` or when no agent is left.
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
    paceDeadline: fromPromise<void, { engine: StepClock; steps: number }>(({ input }) =>
      input.engine.afterSteps(input.steps),
    ),
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
    isPaced: ({ context }) => context.clock === 'paced' && context.pace !== null,
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
    tickAttention: ({ context }) => {
      for (const id of context.adapter.liveAgents()) context.minds[id]?.attend?.(context.tick);
    },
    sendPercepts: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ senses: {}, decisions: {}, tickStartedAt: performance.now() });
      for (const id of context.adapter.liveAgents()) {
        const ref = context.agents[id];
        const percept = context.percepts[id];
        if (ref && percept) enqueue.sendTo(ref, { type: 'agent.percept', percept });
      }
    }),
    recordDecision: assign(({ context, event }) =>
      event.type === 'agent.decided' && event.decision.tick === context.tick
        ? {
            decisions: { ...context.decisions, [event.decision.agentId]: event.decision },
            senses: event.sense ? { ...context.senses, [event.decision.agentId]: event.sense } : context.senses,
          }
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
    pace: input.pace ?? null,
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
        sensing: { entry: ['tickAttention', 'sendPercepts'], always: 'waiting' },
        waiting: {
          on: { 'agent.decided': { actions: 'recordDecision' } },
          always: { guard: 'allDecided', target: 'stepping' },
          after: { tickDeadline: { guard: 'isRealtime', actions: 'sendDeadlines' } },
          invoke: {
            src: 'paceDeadline',
            input: ({ context }) => ({
              engine: context.pace?.engine ?? { afterSteps: () => new Promise<void>(() => {}) },
              steps: context.clock === 'paced' ? (context.pace?.stepsPerTick ?? 1) : 0,
            }),
            onDone: { guard: 'isPaced', actions: 'sendDeadlines' },
          },
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
