import type { Handle, HypergraphStore } from '@dte/hypergraph';
import type { AttentionBank } from './AttentionBank.ts';
import type { EcanParams } from './EcanParams.ts';

/** One STI transfer computed by diffusion. */
export interface DiffusionEvent {
  readonly source: Handle;
  readonly target: Handle;
  readonly amount: number;
}

function isHebbian(store: HypergraphStore, h: Handle): boolean {
  return store.types.isA(store.typeIdOf(h), store.types.id('HebbianLink'));
}

/**
 * Incident atoms of `h` (OpenCog `ImportanceDiffusionBase::incidentAtoms`):
 * its incoming set plus, for a link, its outgoing set; Hebbian links excluded.
 */
export function incidentAtoms(store: HypergraphStore, h: Handle): Handle[] {
  const out = new Set<Handle>();
  for (const l of store.incomingOf(h)) out.add(l);
  if (store.isLink(h)) for (const o of store.outgoingOf(h)) out.add(o);
  return [...out].filter((x) => !isHebbian(store, x));
}

/** Targets of the AsymmetricHebbianLinks whose source is `h` (`hebbianAdjacentAtoms`). */
export function hebbianAdjacentAtoms(store: HypergraphStore, h: Handle): Handle[] {
  const out: Handle[] = [];
  for (const l of store.incomingByType(h, 'AsymmetricHebbianLink')) {
    const o = store.outgoingOf(l);
    if (o[0] === h && o[1] !== undefined) out.push(o[1]);
  }
  return out;
}

/** How conductive a Hebbian link is: strength × confidence (`calculateHebbianDiffusionPercentage`). */
export function hebbianDiffusionPercentage(store: HypergraphStore, link: Handle): number {
  const tv = store.getTv(link);
  return tv.strength * tv.confidence;
}

/** Equal shares to each incident atom (`probabilityVectorIncident`). */
export function probabilityVectorIncident(targets: readonly Handle[]): Map<Handle, number> {
  const m = new Map<Handle, number>();
  for (const t of targets) m.set(t, 1 / targets.length);
  return m;
}

/** Shares along Hebbian links: (1 / n) × conductivity (`probabilityVectorHebbianAdjacent`). */
export function probabilityVectorHebbianAdjacent(
  store: HypergraphStore,
  source: Handle,
  targets: readonly Handle[],
): Map<Handle, number> {
  const m = new Map<Handle, number>();
  for (const t of targets) {
    const link = store.getLink('AsymmetricHebbianLink', [source, t]);
    m.set(t, link === undefined ? 0 : hebbianDiffusionPercentage(store, link) / targets.length);
  }
  return m;
}

/**
 * Combines the two vectors (`combineIncidentAdjacentVectors`): Hebbian targets get at most
 * `hebbianMaxAllocation` in total, the incident atoms share whatever the Hebbian links did not use.
 */
export function combineIncidentAdjacentVectors(
  incident: ReadonlyMap<Handle, number>,
  adjacent: ReadonlyMap<Handle, number>,
  hebbianMaxAllocation: number,
): Map<Handle, number> {
  const m = new Map<Handle, number>();
  const perLink = adjacent.size === 0 ? 0 : hebbianMaxAllocation / adjacent.size;
  let used = 0;
  for (const [h, p] of adjacent) {
    const a = perLink * p;
    m.set(h, (m.get(h) ?? 0) + a);
    used += a;
  }
  const left = 1 - used;
  for (const [h, p] of incident) m.set(h, (m.get(h) ?? 0) + left * p);
  return m;
}

/**
 * The diffusion events of one source atom (`diffuseAtom`): `fraction × sti` split by the
 * combined probability vector. Nothing is spread from atoms with STI ≤ 0.
 */
export function diffuseAtom(store: HypergraphStore, source: Handle, fraction: number, p: EcanParams): DiffusionEvent[] {
  const total = fraction * store.getSti(source);
  if (!(total > 0)) return [];
  const incident = p.spreadHebbianOnly
    ? new Map<Handle, number>()
    : probabilityVectorIncident(incidentAtoms(store, source));
  const adjacent = probabilityVectorHebbianAdjacent(store, source, hebbianAdjacentAtoms(store, source));
  const vec = combineIncidentAdjacentVectors(incident, adjacent, p.hebbianMaxAllocation);
  const events: DiffusionEvent[] = [];
  for (const [target, share] of vec)
    if (share > 0 && target !== source) events.push({ source, target, amount: total * share });
  return events;
}

/**
 * Spreads importance from every source (AFImportanceDiffusionAgent over the focus):
 * all events are computed first, then traded, so the order of sources does not matter.
 * Returns the total STI moved.
 */
export function spreadImportance(bank: AttentionBank, sources: readonly Handle[], p: EcanParams): number {
  const store = bank.store;
  const events: DiffusionEvent[] = [];
  for (const s of sources)
    if (store.has(s) && !isHebbian(store, s)) events.push(...diffuseAtom(store, s, p.maxSpreadPercentage, p));
  let moved = 0;
  for (const e of events) {
    bank.tradeSti(e.source, e.target, e.amount);
    moved += e.amount;
  }
  return moved;
}
