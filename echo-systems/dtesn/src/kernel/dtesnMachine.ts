import { assign, setup } from 'xstate';
import type { AgentSensation, Dtesn } from './Dtesn.ts';

/** Events of the DTESN machine. */
export type DtesnEvent =
  | { type: 'dtesn.start' }
  | { type: 'dtesn.tick'; batch: readonly AgentSensation[]; learn?: boolean }
  | { type: 'dtesn.fit' }
  | { type: 'dtesn.halt' }
  | { type: 'dtesn.resume' };

/** Context of the DTESN machine. */
export interface DtesnContext {
  readonly kernel: Dtesn;
  readonly ticks: number;
  /** Typed error code of the last rejected tick, if any. */
  readonly lastError: string | undefined;
}

/**
 * The kernel's lifecycle: `idle` → (`dtesn.start` or a first `dtesn.tick`) →
 * `evolving`, where each `dtesn.tick` advances every agent's membrane tree and
 * the kernel's observables emit; `dtesn.halt` → `halted` (ticks ignored) until
 * `dtesn.resume`. A tick with bad input is recorded in `lastError` (failures are
 * data) and the machine keeps evolving.
 *
 * @example
 * ```ts
 * const actor = createActor(dtesnMachine, { input: { kernel: new Dtesn({ sensorDim: 2 }) } }).start();
 * actor.send({ type: 'dtesn.tick', batch: [{ agentId: 'a', sensation: [0, 1] }] });
 * ```
 */
export const dtesnMachine = setup({
  types: {
    context: {} as DtesnContext,
    events: {} as DtesnEvent,
    input: {} as { kernel: Dtesn },
  },
  actions: {
    runTick: assign(({ context, event }) => {
      if (event.type !== 'dtesn.tick') return {};
      try {
        context.kernel.tick(event.batch, event.learn ?? true);
        return { ticks: context.ticks + 1, lastError: undefined };
      } catch (e) {
        return { lastError: (e as { code?: string }).code ?? 'DTE_ERR_DTESN_BAD_ARGUMENT' };
      }
    }),
    fitReadouts: ({ context }) => {
      for (const id of context.kernel.agents()) context.kernel.agent(id).fit();
    },
  },
}).createMachine({
  id: 'dtesn',
  context: ({ input }) => ({ kernel: input.kernel, ticks: 0, lastError: undefined }),
  initial: 'idle',
  states: {
    idle: {
      on: {
        'dtesn.start': 'evolving',
        'dtesn.tick': { target: 'evolving', actions: 'runTick' },
        'dtesn.halt': 'halted',
      },
    },
    evolving: {
      on: {
        'dtesn.tick': { actions: 'runTick' },
        'dtesn.fit': { actions: 'fitReadouts' },
        'dtesn.halt': 'halted',
      },
    },
    halted: {
      on: { 'dtesn.resume': 'evolving' },
    },
  },
});
