import type { Handle } from '@dte/hypergraph';
import { assign, fromObservable, setup } from 'xstate';
import type { Ecan, TickReport } from './Ecan.ts';

/** Events of the ECAN machine. */
export type EcanEvent =
  | { type: 'ecan.start' }
  | { type: 'ecan.pause' }
  | { type: 'ecan.resume' }
  | { type: 'ecan.stop' }
  | { type: 'ecan.tick' }
  | { type: 'ecan.stimulate'; handle: Handle; stimulus: number };

/** Context of the ECAN machine. */
export interface EcanContext {
  readonly ecan: Ecan;
  readonly ticks: number;
  readonly lastReport: TickReport | undefined;
  /** Typed error code of the last rejected event (e.g. stimulating a missing atom), if any. */
  readonly lastError: string | undefined;
  /** The attentional focus, fed by `ecan.focus$` through an invoked `fromObservable` actor. */
  readonly focus: readonly Handle[];
}

/**
 * The ECAN lifecycle: `idle` → (`ecan.start`) → `running` ⇄ (`ecan.pause`/`ecan.resume`)
 * `paused`; `ecan.stop` returns to `idle`. `ecan.tick` runs a cycle only while running;
 * `ecan.stimulate` is accepted while running or paused. The work is done by the pure,
 * separately tested functions behind `Ecan`; failures are recorded in `lastError`.
 *
 * @example
 * ```ts
 * const actor = createActor(ecanMachine, { input: { ecan } }).start();
 * actor.send({ type: 'ecan.start' });
 * actor.send({ type: 'ecan.stimulate', handle: h, stimulus: 5 });
 * actor.send({ type: 'ecan.tick' });
 * ```
 */
export const ecanMachine = setup({
  types: {
    context: {} as EcanContext,
    events: {} as EcanEvent,
    input: {} as { ecan: Ecan },
  },
  actors: {
    focusStream: fromObservable(({ input }: { input: { ecan: Ecan } }) => input.ecan.focus$),
  },
  actions: {
    runTick: assign(({ context }) => {
      const report = context.ecan.tick();
      return { ticks: context.ticks + 1, lastReport: report, lastError: undefined };
    }),
    stimulate: assign(({ context, event }) => {
      if (event.type !== 'ecan.stimulate') return {};
      try {
        context.ecan.stimulate(event.handle, event.stimulus);
        return { lastError: undefined };
      } catch (e) {
        return { lastError: (e as { code?: string }).code ?? 'DTE_ERR_ECAN_BAD_ARGUMENT' };
      }
    }),
  },
}).createMachine({
  id: 'ecan',
  context: ({ input }) => ({ ecan: input.ecan, ticks: 0, lastReport: undefined, lastError: undefined, focus: [] }),
  invoke: {
    src: 'focusStream',
    input: ({ context }) => ({ ecan: context.ecan }),
    onSnapshot: {
      actions: assign({ focus: ({ event, context }) => event.snapshot.context ?? context.focus }),
    },
  },
  initial: 'idle',
  states: {
    idle: {
      on: { 'ecan.start': 'running' },
    },
    running: {
      on: {
        'ecan.tick': { actions: 'runTick' },
        'ecan.stimulate': { actions: 'stimulate' },
        'ecan.pause': 'paused',
        'ecan.stop': 'idle',
      },
    },
    paused: {
      on: {
        'ecan.stimulate': { actions: 'stimulate' },
        'ecan.resume': 'running',
        'ecan.stop': 'idle',
      },
    },
  },
});
