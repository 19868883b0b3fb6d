import { EpisodicMemory, type Handle } from '@dte/hypergraph';
import { BehaviorSubject } from 'rxjs';
import { aarError } from './AarError.ts';
import type { AgentMind, Decision, Percept, SenseResult } from './AgentMind.ts';
import { computeUrgency, priorityOf } from './computeUrgency.ts';
import type { EchoWorld } from './EchoWorld.ts';

/** Options of {@link EchoMind}. */
export interface EchoMindOptions {
  persona: string;
  actionNames: readonly string[];
  /** The scripted fallback reflex (used until the DTESN reflex head is trained, or when it is unsure). */
  fallbackReflex: (percept: Percept) => number;
  /** Deliberate every this many ticks (and whenever urgency ≥ 0.5 or surprise spikes). Default 4. */
  deliberateEvery?: number;
  /** Confidence the DTESN reflex needs to override the fallback. Default 0.6. */
  reflexConfidence?: number;
  seed?: number;
}

const hash = (s: string) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
};

/**
 * An agent's mind on the echo systems. Every tick (`sense`): the DTESN tree predicts the sensation
 * (surprise = prediction error) and proposes a reflex; notable moments become episodes in hypergraph
 * memory; ECAN is stimulated by surprise + bodily urgency on the agent's self atom and on what it sees.
 * Deliberation builds a prompt from the persona, the atoms in attentional focus, recalled episodes and
 * the observation, and lets the engine pick a legal action with the agent as owner, at a priority
 * that follows its urgency (`urgency$`, which the run feeds to `engine.setPriority`).
 */
export class EchoMind implements AgentMind {
  readonly memory: EpisodicMemory;
  readonly self: Handle;
  /** Urgency after every sense, in [0, 1]. */
  readonly urgency$: BehaviorSubject<number>;
  private lastAction: number | undefined;
  private lastSurprise = 0;
  private readonly options: Required<Omit<EchoMindOptions, 'seed'>> & { seed: number };

  constructor(
    readonly world: EchoWorld,
    readonly agentId: string,
    options: EchoMindOptions,
  ) {
    this.options = { deliberateEvery: 4, reflexConfidence: 0.6, seed: 0, ...options };
    this.memory = new EpisodicMemory(world.store, { agent: agentId, decay: 0.98 });
    this.self = world.store.addNode('AnchorNode', `agent:${agentId}`);
    const av = world.store.getAv(this.self);
    world.store.setAv(this.self, av.sti, av.lti, 1); // VLTI: the self is never forgotten
    this.urgency$ = new BehaviorSubject(0);
  }

  sense(p: Percept): SenseResult {
    const w = this.world;
    w.ensureTick(p.tick);
    const tree = w.dtesn.agent(this.agentId);
    const t = tree.tick(p.sensation, this.lastAction === undefined ? {} : { lastAction: this.lastAction });
    const surprise = t.surprise;
    const urgency = computeUrgency(p.proprio, w.store.getSti(this.self));
    // Attention: the body and the unexpected draw STI to the self and to what is in view.
    const stimulus = Math.round(10 * (urgency + Math.min(1, surprise * 20)));
    if (stimulus > 0) w.ecan.stimulate(this.self, stimulus);
    const about: Handle[] = [this.self];
    for (const c of p.concepts ?? []) {
      const h = w.concept(c);
      about.push(h);
      w.ecan.stimulate(h, 1 + Math.round(urgency * 4));
    }
    this.updateRelations(p);
    // Memory: notable moments only (surprise, urgency or reward), so retrieval stays meaningful.
    const importance = Math.min(1, 0.1 + urgency * 0.5 + Math.min(0.4, surprise * 10) + (p.reward !== 0 ? 0.3 : 0));
    if (importance >= 0.35 || p.tick % 10 === 0) {
      const ep = this.memory.record({
        kind: 'observation',
        text: `t${p.tick}: ${p.text}`,
        tick: p.tick,
        importance,
        about,
      });
      w.ecan.stimulate(ep, Math.round(importance * 10));
    }
    const reflex = this.reflex(p, t.actionScores);
    const focus = this.focusTexts();
    const memories = this.memory.retrieve({ now: p.tick, k: 3 }).map((e) => e.text);
    this.lastSurprise = surprise;
    this.urgency$.next(urgency);
    return { surprise, urgency, reflex, focus, memories };
  }

  wantsToDeliberate(p: Percept, s: SenseResult): boolean {
    if (!this.world.chooser) return false;
    const every = this.options.deliberateEvery;
    return s.urgency >= 0.5 || this.lastSurprise > 0.05 || (p.tick + (hash(this.agentId) % every)) % every === 0;
  }

  async deliberate(
    p: Percept,
    s: SenseResult,
    signal: AbortSignal,
  ): Promise<{ action: number; thought: string; latencyMs: number }> {
    const started = performance.now();
    const chooser = this.world.chooser;
    if (!chooser) throw aarError('DTE_ERR_AAR_NO_ENGINE', 'EchoMind.deliberate', 'the world has no chooser');
    const legal = [...p.actionMask.keys()].filter((a) => p.actionMask[a] === 1);
    const context = [
      `You are ${this.agentId}, ${this.options.persona}`,
      s.memories.length ? `You remember: ${s.memories.join(' | ')}` : '',
      s.focus.length ? `On your mind: ${s.focus.join(', ')}.` : '',
      `Now: ${p.text}`,
    ]
      .filter(Boolean)
      .join('\n');
    const choice = await chooser.choose({
      owner: this.agentId,
      context,
      legal,
      priority: priorityOf(s.urgency),
      signal,
      seed: (hash(this.agentId) ^ Math.imul(p.tick + 1, 0x9e3779b1) ^ this.options.seed) >>> 0,
    });
    return { action: choice.action, thought: choice.thought, latencyMs: performance.now() - started };
  }

  remember(d: Decision, p: Percept): void {
    this.lastAction = d.action;
    if (d.source === 'thought') {
      this.memory.record({
        kind: 'action',
        text: `t${p.tick}: I chose to ${this.options.actionNames[d.action]}`,
        tick: p.tick,
        importance: 0.4,
        about: [this.self],
      });
    }
  }

  /**
   * The DTESN reflex head's proposal when it is trained, legal and confident enough; the scripted
   * fallback otherwise (the head learns from the actions the agent takes, so it imitates them).
   */
  private reflex(p: Percept, scores: Float64Array): number {
    if (scores.length === this.options.actionNames.length) {
      let best = -1;
      let bestScore = -Infinity;
      for (let a = 0; a < scores.length; a++) {
        if (p.actionMask[a] === 1 && scores[a]! > bestScore) {
          best = a;
          bestScore = scores[a]!;
        }
      }
      let z = 0;
      for (let a = 0; a < scores.length; a++) if (p.actionMask[a] === 1) z += Math.exp(scores[a]! - bestScore);
      if (best >= 0 && 1 / z >= this.options.reflexConfidence) return best;
    }
    return this.options.fallbackReflex(p);
  }

  /** Texts of the atoms in ECAN's attentional focus that concern this agent (its episodes, concepts, itself). */
  focusTexts(k = 4): string[] {
    const w = this.world;
    const mine = new Set(this.memory.episodes());
    const out: Array<{ text: string; sti: number }> = [];
    for (const h of w.ecan.focus()) {
      if (!w.store.has(h)) continue;
      const type = w.store.typeOf(h);
      if (mine.has(h) || type === 'ConceptNode' || h === this.self)
        out.push({ text: w.describe(h), sti: w.store.getSti(h) });
    }
    return out
      .sort((a, b) => b.sti - a.sti)
      .slice(0, k)
      .map((o) => o.text);
  }

  /** Agent–arena and agent–agent relations with affinity truth values that follow interactions. */
  private updateRelations(p: Percept): void {
    const s = this.world.store;
    const affinity = this.world.concept('affinity');
    const arena = this.world.concept('arena');
    const nudge = (other: Handle, delta: number) => {
      const pair = s.addLink('ListLink', [this.self, other]);
      const rel = s.addLink('EvaluationLink', [affinity, pair]);
      // VLTI: a relation is the history of every interaction so far; ECAN's forgetting must not reset it.
      const av = s.getAv(rel);
      if (av.vlti === 0) s.setAv(rel, av.sti, av.lti, 1);
      const tv = s.getTv(rel);
      const strength = Math.max(0, Math.min(1, (tv.confidence === 0 ? 0.5 : tv.strength) + delta));
      s.setTv(rel, strength, Math.min(0.99, tv.confidence + 0.01));
    };
    if (p.reward !== 0) nudge(arena, Math.sign(p.reward) * 0.05);
    const collided = (p.proprio[7] ?? 0) > 0;
    for (const id of p.nearbyAgents ?? []) {
      nudge(s.addNode('AnchorNode', `agent:${id}`), collided ? -0.1 : 0.01);
    }
  }
}
