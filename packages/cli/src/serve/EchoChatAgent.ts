import {
  type AgentMind,
  type Decision,
  type Deliberation,
  type EchoMind,
  type Percept,
  priorityOf,
  type SenseResult,
} from '@dte/aar';
import type { ChatAgent, ChatAgentReply, ChatAgentTurn, ToolDef } from '@dte/server';

const NO_ARGS = { type: 'object', properties: {}, additionalProperties: false };

/**
 * An {@link EchoMind} as a chat model and as the mind the simulation runs: what a user says enters
 * its senses as heard speech (an episode in its memory, ECAN stimulus on the episode and on its self
 * atom), the prompt is its persona + attentional focus + relevant memories, its reply is remembered,
 * and a call of one of its motor tools becomes its next action (taken on its next tick, as a thought).
 */
export class EchoChatAgent implements ChatAgent, AgentMind {
  readonly id: string;
  readonly agentId: string;
  /** Action chosen through chat, taken on the next tick. */
  pendingAction: number | undefined;
  private tick = 0;

  constructor(
    readonly mind: EchoMind,
    readonly persona: string,
    readonly actionNames: readonly string[],
  ) {
    this.agentId = mind.agentId;
    this.id = `agent/${mind.agentId}`;
  }

  hear(userText: string): ChatAgentTurn {
    const m = this.mind;
    const heard = m.memory.record({
      kind: 'observation',
      text: `t${this.tick}: someone said to me: "${userText.slice(0, 200)}"`,
      tick: this.tick,
      importance: 0.7,
      about: [m.self],
    });
    m.ecan.stimulate(heard, 10);
    m.ecan.stimulate(m.self, 5);
    m.ecan.updateFocus(); // what was just heard enters the focus before the prompt is built
    const memories = m.memory.retrieve({ now: this.tick, k: 3 }).map((e) => e.text);
    const focus = m.focusTexts();
    const system = [
      `You are ${this.agentId}, ${this.persona}`,
      memories.length ? `You remember: ${memories.join(' | ')}` : '',
      focus.length ? `On your mind: ${focus.join(', ')}.` : '',
      'Someone is talking to you. Answer as yourself, or act with one of your tools.',
    ]
      .filter(Boolean)
      .join('\n');
    const tools: ToolDef[] = this.actionNames.map((name) => ({
      name,
      description: `Motor action: ${name.replaceAll('_', ' ')}`,
      parameters: NO_ARGS,
    }));
    return { system, priority: priorityOf(m.urgency$.value), owner: this.agentId, tools };
  }

  reply(r: ChatAgentReply): void {
    const m = this.mind;
    const action = r.toolCall ? this.actionNames.indexOf(r.toolCall.name) : -1;
    if (action >= 0) this.pendingAction = action;
    const text =
      action >= 0
        ? `I was asked to act and chose to ${this.actionNames[action]}`
        : `I replied: ${(r.text ?? '').slice(0, 200)}`;
    m.memory.record({
      kind: 'action',
      text: `t${this.tick}: ${text}`,
      tick: this.tick,
      importance: 0.5,
      about: [m.self],
    });
  }

  // AgentMind: the echo mind, with chat-requested actions taking precedence.
  attend(tick: number): void {
    this.mind.attend(tick);
  }

  sense(p: Percept): SenseResult {
    this.tick = p.tick;
    return this.mind.sense(p);
  }

  wantsToDeliberate(p: Percept, s: SenseResult): boolean {
    return this.pendingAction !== undefined || this.mind.wantsToDeliberate(p, s);
  }

  async deliberate(p: Percept, s: SenseResult, signal: AbortSignal): Promise<Deliberation> {
    const a = this.pendingAction;
    if (a !== undefined && p.actionMask[a] === 1) {
      this.pendingAction = undefined;
      return { action: a, thought: `asked in chat to ${this.actionNames[a]}`, latencyMs: 0 };
    }
    this.pendingAction = undefined;
    return this.mind.deliberate(p, s, signal);
  }

  remember(d: Decision, p: Percept): void {
    this.mind.remember(d, p);
  }
}
