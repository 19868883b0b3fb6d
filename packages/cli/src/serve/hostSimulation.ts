import { ActionChooser, type AgentMind, aarMachine, createEchoMinds, ForagingAdapter } from '@dte/aar';
import { type ChatAgentDirectory, chatAgentDirectory, type ServedModel } from '@dte/server';
import { createActor } from 'xstate';
import { EchoChatAgent } from './EchoChatAgent.ts';

/** Options of {@link hostSimulation}. */
export interface HostSimulationOptions {
  numAgents: number;
  seed: number;
  /** Realtime tick period. Default 250 ms. */
  tickMs?: number;
  /** Start ticking (default true); false leaves the world at tick 0 (tests). */
  isRunning?: boolean;
}

const PERSONAS = [
  'a careful forager who avoids hazards.',
  'a bold explorer who likes to roam.',
  'a thirsty wanderer who stays near water.',
  'a hungry gatherer who follows the smell of food.',
];

/**
 * A foraging simulation whose agents think through the served engine (urgency → priority feedback
 * on) and are exposed as chat models `agent/<id>`. Returns the directory for `buildApp({ agents })`
 * and a `stop()` for shutdown.
 */
export function hostSimulation(served: ServedModel, options: HostSimulationOptions) {
  const { numAgents, seed } = options;
  const side = Math.max(16, Math.ceil(Math.sqrt(numAgents * 40)));
  const adapter = new ForagingAdapter({ numAgents, width: side, height: side, maxCycles: 1_000_000 });
  const chooser = new ActionChooser(served.engine, served.tokenizer, adapter.actionNames);
  const echo = createEchoMinds(adapter, {
    seed,
    chooser,
    prioritySink: served.engine.engine,
    feedback: true,
    personas: PERSONAS,
  });
  const agents = adapter.agentIds.map(
    (id, i) => new EchoChatAgent(echo.minds[id]!, PERSONAS[i % PERSONAS.length]!, adapter.actionNames),
  );
  const minds: Record<string, AgentMind> = Object.fromEntries(agents.map((a) => [a.agentId, a]));
  const actor = createActor(aarMachine, {
    input: {
      adapter,
      minds,
      seed,
      maxTicks: 1_000_000,
      clock: 'realtime',
      tickMs: options.tickMs ?? 250,
      ...(echo.feedback ? { feedback: echo.feedback } : {}),
    },
  });
  if (options.isRunning !== false) {
    actor.start();
    actor.send({ type: 'aar.start' });
  }
  const directory: ChatAgentDirectory = chatAgentDirectory(agents);
  return {
    adapter,
    world: echo.world,
    agents,
    directory,
    stop(): void {
      if (actor.getSnapshot().status === 'active') actor.send({ type: 'aar.stop' });
      actor.stop();
    },
  };
}
