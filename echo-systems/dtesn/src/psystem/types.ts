/** Electrical charge of a membrane (active membranes); '0' is neutral. */
export type Polarization = '+' | '-' | '0';

/** A multiset of objects: object name → multiplicity (> 0). */
export type Multiset = Map<string, number>;

/** A membrane of the initial structure, with its initial multiset. */
export interface MembraneSpec {
  label: string;
  polarization: Polarization;
  objects: Multiset;
  children: MembraneSpec[];
}

interface RuleBase {
  /** Label of the membrane the rule is associated with. */
  label: string;
  /** Polarization the membrane must have. */
  polarization: Polarization;
  /** A rule is blocked while a competing (same-object) higher-priority rule of its membrane is applicable. */
  priority: number;
  /** Source text position, for diagnostics. */
  source?: string;
}

/**
 * `[u → v]_h^α`: rewrites u inside h; products go here, out (to the parent) or
 * into a child with a given label; `dissolve` (δ / `@d`) dissolves h afterwards.
 */
export interface EvolutionRule extends RuleBase {
  kind: 'evolution';
  lhs: Multiset;
  here: Multiset;
  out: Multiset;
  into: Map<string, Multiset>;
  dissolve: boolean;
}

/**
 * Communication across h's boundary: `u [v]_h^α → [w]_h^β x` consumes u from the
 * parent and v from h, puts w in h, x in the parent and sets h's polarization to β.
 * Send-in is (u, ∅ → w, ∅), send-out is (∅, v → ∅, x).
 */
export interface CommunicationRule extends RuleBase {
  kind: 'communication';
  outsideLhs: Multiset;
  insideLhs: Multiset;
  insideRhs: Multiset;
  outsideRhs: Multiset;
  newPolarization: Polarization;
}

/** `[u]_h^α → v`: h dissolves; its objects, v and its children go to the parent. */
export interface DissolutionRule extends RuleBase {
  kind: 'dissolution';
  lhs: Multiset;
  rhs: Multiset;
}

/** `[u]_h^α → [v]_h^β [w]_h^γ`: elementary division of h into two copies. */
export interface DivisionRule extends RuleBase {
  kind: 'division';
  lhs: Multiset;
  left: { polarization: Polarization; objects: Multiset };
  right: { polarization: Polarization; objects: Multiset };
}

/** Any rule the simulator runs. */
export type Rule = EvolutionRule | CommunicationRule | DissolutionRule | DivisionRule;

/** A complete P system: initial structure and rules. */
export interface PSystemModel {
  /** The `@model<...>` name, if any. */
  model?: string;
  structure: MembraneSpec;
  rules: Rule[];
}

/** Adds `count` copies of every object of `from` into `into`. */
export function addMultiset(into: Multiset, from: Multiset, count = 1): void {
  for (const [o, k] of from) into.set(o, (into.get(o) ?? 0) + k * count);
}

/** How many times `lhs` fits into `available` (Infinity for an empty lhs). */
export function timesContained(lhs: Multiset, available: Multiset): number {
  let times = Number.POSITIVE_INFINITY;
  for (const [o, k] of lhs) {
    times = Math.min(times, Math.floor((available.get(o) ?? 0) / k));
    if (times === 0) return 0;
  }
  return times;
}

/** Removes `count` copies of `lhs` from `from` (caller checked they fit). */
export function removeMultiset(from: Multiset, lhs: Multiset, count = 1): void {
  for (const [o, k] of lhs) {
    const left = (from.get(o) ?? 0) - k * count;
    if (left > 0) from.set(o, left);
    else from.delete(o);
  }
}

/** Total number of objects in a multiset. */
export function multisetSize(m: Multiset): number {
  let s = 0;
  for (const k of m.values()) s += k;
  return s;
}
