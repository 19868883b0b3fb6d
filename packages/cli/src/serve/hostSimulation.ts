import { type AgentMind, aarMachine, buildEchoRun, PERSONAS } from '@dte/aar';
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

/**
 * A foraging simulation (the oases world) whose agents think through the served engine (urgency →
 * priority feedback on) and are exposed as chat models `agent/<id>`. Returns the directory for
 * `buildApp({ agents })` and a `stop()` for shutdown.
 */
export function hostSimulation(served: ServedModel, options: HostSimulationOptions) {
  const { numAgents, seed } = options;
  const echo = buildEchoRun({
    agents: numAgents,
    seed,
    ticks: 1_000_000,
    variant: 'full',
    engine: { engine: served.engine, tokenizer: served.tokenizer },
    clock: 'realtime',
    tickMs: options.tickMs ?? 250,
    placesPerPrompt: 2,
  });
  const { adapter } = echo;
  const agents = adapter.agentIds.map(
    (id, i) => new EchoChatAgent(echo.echoMinds[id]!, PERSONAS[i % PERSONAS.length]!, adapter.actionNames),
  );
  const minds: Record<string, AgentMind> = Object.fromEntries(agents.map((a) => [a.agentId, a]));
  const actor = createActor(aarMachine, { input: { ...echo.input, minds } });
  if (options.isRunning !== false) {
    actor.start();
    actor.send({ type: 'aar.start' });
  }
  const directory: ChatAgentDirectory = chatAgentDirectory(agents);
  return {
    adapter,
    agents,
    directory,
    stop(): void {
      if (actor.getSnapshot().status === 'active') actor.send({ type: 'aar.stop' });
      actor.stop();
    },
  };
}
