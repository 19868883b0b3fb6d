import type { ToolDef } from '../generation/planStructured.ts';

/** What an agent contributes to one chat turn. */
export interface ChatAgentTurn {
  /** The system prompt: persona, attentional focus, relevant memories. */
  system: string;
  /** Engine priority (follows the agent's urgency, like its own thoughts). */
  priority: number;
  /** Engine owner key (the agent id), so live priority changes reach the chat too. */
  owner: string;
  /** The agent's motor actions as function tools (offered when the request brings no tools). */
  tools: ToolDef[];
}

/** The agent's reply once generation ended: text, or a call of one of its motor tools. */
export interface ChatAgentReply {
  text: string | null;
  toolCall?: { name: string; arguments: string };
}

/**
 * An embodied agent addressable as a chat model (`agent/<id>`): `hear` takes the user's message into
 * its senses (memory, attention) and returns the turn's prompt; `reply` lets it remember its answer
 * (and act on a motor tool call).
 */
export interface ChatAgent {
  /** Model id, e.g. `agent/a0`. */
  readonly id: string;
  hear(userText: string): ChatAgentTurn;
  reply(reply: ChatAgentReply): void;
}

/** The agents a server exposes as models. */
export interface ChatAgentDirectory {
  list(): readonly ChatAgent[];
  get(id: string): ChatAgent | undefined;
}

/** A directory over a fixed list of agents. */
export function chatAgentDirectory(agents: readonly ChatAgent[]): ChatAgentDirectory {
  const byId = new Map(agents.map((a) => [a.id, a]));
  return { list: () => agents, get: (id) => byId.get(id) };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Agents served as chat models (`null` when the server hosts no simulation). */
    chatAgents: ChatAgentDirectory | null;
  }
}
