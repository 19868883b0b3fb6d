import { aarError } from './AarError.ts';
import type { AgentMind, Decision, Percept, SenseResult } from './AgentMind.ts';
import { computeUrgency } from './computeUrgency.ts';

/**
 * The simplest mind: no memory, no attention, no deliberation — every tick the reflex `policy` picks
 * a legal action. The baseline every richer mind falls back to.
 */
export class ReflexMind implements AgentMind {
  readonly decisions: Decision[] = [];

  constructor(
    readonly agentId: string,
    private readonly policy: (percept: Percept) => number,
  ) {}

  sense(percept: Percept): SenseResult {
    return {
      surprise: 0,
      urgency: computeUrgency(percept.proprio),
      reflex: this.policy(percept),
      focus: [],
      memories: [],
    };
  }

  wantsToDeliberate(): boolean {
    return false;
  }

  deliberate(): Promise<{ action: number; thought: string }> {
    return Promise.reject(
      aarError('DTE_ERR_AAR_NO_ENGINE', 'ReflexMind.deliberate', 'a reflex mind does not deliberate'),
    );
  }

  remember(decision: Decision): void {
    this.decisions.push(decision);
  }
}
