import { hgError } from './errors.ts';
import type { HypergraphStore } from './HypergraphStore.ts';
import type { Handle } from './types.ts';

/** The three kinds of episode an agent stores. */
export type EpisodeKind = 'observation' | 'action' | 'outcome';

const NODE_TYPE: Record<EpisodeKind, string> = {
  observation: 'ObservationNode',
  action: 'ActionNode',
  outcome: 'OutcomeNode',
};

/** One episode to store. */
export interface EpisodeInput {
  readonly kind: EpisodeKind;
  readonly text: string;
  /** Simulation tick (an integer, not wall-clock time). */
  readonly tick: number;
  /** Importance in [0, 1] (Generative Agents' 1–10 poignancy divided by 10). */
  readonly importance: number;
  readonly embedding?: readonly number[] | Float32Array;
  /** Atoms the episode is about; each gets a `ContextLink(episode, atom)`. */
  readonly about?: readonly Handle[];
}

/** A retrieved episode with its score components. */
export interface ScoredEpisode {
  readonly handle: Handle;
  readonly kind: EpisodeKind;
  readonly text: string;
  readonly tick: number;
  readonly importance: number;
  readonly recency: number;
  readonly relevance: number;
  /** recency × importance × relevance. */
  readonly score: number;
}

/** Options of `EpisodicMemory`. */
export interface EpisodicMemoryOptions {
  /** The owning agent: episodes hang off `AnchorNode(agent)` via `MemberLink`. */
  readonly agent?: string;
  /** Recency decay per tick (Generative Agents use 0.995 per game hour). */
  readonly decay?: number;
}

/**
 * Episodic memory on a hypergraph (Generative Agents' memory stream): each
 * episode is an `ObservationNode` / `ActionNode` / `OutcomeNode` with values
 * `text`, `tick`, `importance`, `embedding`, linked to its agent and to a
 * `NumberNode(tick)` by an `AtTimeLink`. Retrieval ranks by
 * recency (decay^(now − tick)) × importance × relevance ((cos + 1) / 2).
 *
 * @example
 * ```ts
 * const mem = new EpisodicMemory(store, { agent: 'alice' });
 * mem.record({ kind: 'observation', text: 'a red apple', tick: 3, importance: 0.6, embedding: [1, 0] });
 * mem.retrieve({ now: 10, query: [1, 0], k: 5 });
 * ```
 */
export class EpisodicMemory {
  private readonly anchor: Handle;
  private readonly decay: number;
  private seq: number;

  constructor(
    private readonly store: HypergraphStore,
    opts: EpisodicMemoryOptions = {},
  ) {
    const agent = opts.agent ?? 'self';
    this.decay = opts.decay ?? 0.995;
    if (!(this.decay > 0 && this.decay <= 1)) {
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'new EpisodicMemory', 'decay must lie in (0, 1]');
    }
    this.anchor = store.addNode('AnchorNode', `agent:${agent}`);
    this.seq = this.episodes().length;
  }

  /** Stores one episode and returns its handle. */
  record(e: EpisodeInput): Handle {
    const type = NODE_TYPE[e?.kind];
    if (type === undefined)
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'EpisodicMemory.record', 'kind must be observation, action or outcome');
    if (!Number.isInteger(e.tick) || e.tick < 0)
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'EpisodicMemory.record', 'tick must be a non-negative integer');
    if (!(e.importance >= 0 && e.importance <= 1))
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'EpisodicMemory.record', 'importance must lie in [0, 1]');
    if (typeof e.text !== 'string')
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'EpisodicMemory.record', 'text must be a string');
    const s = this.store;
    let name = `${s.nameOf(this.anchor)}#${this.seq++}`;
    while (s.getNode(type, name) !== undefined) name = `${s.nameOf(this.anchor)}#${this.seq++}`;
    const h = s.addNode(type, name);
    s.setValue(h, 'text', e.text);
    s.setValue(h, 'tick', e.tick);
    s.setValue(h, 'importance', e.importance);
    if (e.embedding !== undefined) s.setValue(h, 'embedding', Float32Array.from(e.embedding));
    s.addLink('MemberLink', [h, this.anchor]);
    s.addLink('AtTimeLink', [h, s.addNode('NumberNode', String(e.tick))]);
    for (const a of e.about ?? []) s.addLink('ContextLink', [h, a]);
    return h;
  }

  /** This agent's episodes, oldest first. */
  episodes(): Handle[] {
    const out: Handle[] = [];
    for (const l of this.store.incomingByType(this.anchor, 'MemberLink')) {
      const o = this.store.outgoingOf(l);
      if (o[1] === this.anchor && this.store.types.isA(this.store.typeIdOf(o[0]!), this.store.types.id('EpisodeNode')))
        out.push(o[0]!);
    }
    return out.sort((a, b) => a - b);
  }

  /** The top `k` episodes by recency × importance × relevance at tick `now`. */
  retrieve(q: {
    readonly now: number;
    readonly query?: readonly number[] | Float32Array;
    readonly k: number;
    readonly kinds?: readonly EpisodeKind[];
  }): ScoredEpisode[] {
    if (!Number.isInteger(q.k) || q.k < 0)
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'EpisodicMemory.retrieve', 'k must be a non-negative integer');
    if (!Number.isFinite(q.now))
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'EpisodicMemory.retrieve', 'now must be a number');
    const s = this.store;
    const scored: ScoredEpisode[] = [];
    for (const h of this.episodes()) {
      const kind = kindOf(s.typeOf(h));
      if (q.kinds !== undefined && !q.kinds.includes(kind)) continue;
      const tick = s.getValue(h, 'tick') as number;
      const importance = s.getValue(h, 'importance') as number;
      const emb = s.getValue(h, 'embedding') as Float32Array | undefined;
      const recency = this.decay ** Math.max(0, q.now - tick);
      const relevance = q.query === undefined ? 1 : emb === undefined ? 0.5 : (cosine(q.query, emb) + 1) / 2;
      const text = s.getValue(h, 'text') as string;
      scored.push({
        handle: h,
        kind,
        text,
        tick,
        importance,
        recency,
        relevance,
        score: recency * importance * relevance,
      });
    }
    scored.sort((a, b) => b.score - a.score || b.tick - a.tick || a.handle - b.handle);
    return scored.slice(0, q.k);
  }
}

function kindOf(type: string): EpisodeKind {
  return type === 'ObservationNode' ? 'observation' : type === 'ActionNode' ? 'action' : 'outcome';
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length)
    throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'EpisodicMemory.retrieve', 'query and embedding lengths differ');
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
