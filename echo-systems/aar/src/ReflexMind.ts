import { aarError } from './AarError.ts';
import type { AgentMind, Decision, Deliberation, Percept, SenseResult } from './AgentMind.ts';
import { computeUrgency } from './computeUrgency.ts';

/**
 * The simplest mind: no memory, no attention, no deliberation — every tick `policy` picks a legal
 * action from the percept. A baseline (and a test double) for richer minds.
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
      urgency: computeUrgency(percept.body),
      reflex: this.policy(percept),
      focus: [],
      memories: [],
    };
  }

  wantsToDeliberate(): boolean {
    return false;
  }

  deliberate(): Promise<Deliberation> {
    return Promise.reject(
      aarError('DTE_ERR_AAR_NO_ENGINE', 'ReflexMind.deliberate', 'a reflex mind does not deliberate'),
    );
  }

  remember(decision: Decision): void {
    this.decisions.push(decision);
  }
}

/** A mind that takes a uniformly random legal action every tick (seeded): the floor of the ablation. */
export class RandomMind extends ReflexMind {
  constructor(agentId: string, seed: number) {
    let s = (seed * 2654435761 + agentId.length * 97 + [...agentId].reduce((a, c) => a + c.charCodeAt(0), 0)) >>> 0;
    super(agentId, (p) => {
      const legal = [...p.actionMask.keys()].filter((a) => p.actionMask[a] === 1);
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return legal[s % legal.length] ?? 0;
    });
  }
}
