import { hgError } from './errors.ts';
import type { HypergraphStore } from './HypergraphStore.ts';
import type { Handle } from './types.ts';

/** A term inside a pattern: a variable, a constant node, a constant atom, or a nested link pattern. */
export type PatternTerm =
  | { readonly var: string }
  | { readonly node: string; readonly name: string }
  | { readonly handle: Handle }
  | LinkPattern;

/**
 * A link whose type matches exactly and whose outgoing set matches `out` term by term (in any order
 * for UnorderedLink types such as SetLink and AndLink).
 */
export interface LinkPattern {
  readonly link: string;
  readonly out: readonly PatternTerm[];
}

/** A clause: a link that must be present, a conjunction, a disjunction, or an absence (negation as failure). */
export type PatternClause =
  | LinkPattern
  | { readonly and: readonly PatternClause[] }
  | { readonly or: readonly PatternClause[] }
  | { readonly absent: PatternClause };

/**
 * A query (OpenCog's GetLink/BindLink with typed variables). `vars` maps a variable
 * to the types it may take (the type or any subtype; `null` = any atom).
 */
export interface PatternQuery {
  readonly vars?: Readonly<Record<string, string | readonly string[] | null>>;
  readonly where: PatternClause;
  /**
   * Optional filter on every link atom a present clause grounds to, e.g. "is in the
   * attentional focus" (OpenCog's af_bindlink).
   */
  readonly accept?: (link: Handle) => boolean;
}

/** One grounding: variable name → handle. */
export type Binding = Readonly<Record<string, Handle>>;

interface Ctx {
  readonly store: HypergraphStore;
  readonly varTypes: Map<string, readonly number[] | null>;
  readonly accept: ((h: Handle) => boolean) | undefined;
}

/**
 * Finds every grounding of `query` in `store`. A query that grounds nothing
 * returns `[]`. Results are deduplicated, in a stable order.
 *
 * @example
 * ```ts
 * matchPattern(as, {
 *   vars: { $X: 'ConceptNode' },
 *   where: { link: 'InheritanceLink', out: [{ var: '$X' }, { node: 'ConceptNode', name: 'man' }] },
 * }); // [{ $X: socrates }, { $X: einstein }, ...]
 * ```
 */
export function matchPattern(store: HypergraphStore, query: PatternQuery): Binding[] {
  if (query === null || typeof query !== 'object' || query.where === undefined) {
    throw hgError('DTE_ERR_HG_BAD_QUERY', 'matchPattern', 'query needs a `where` clause');
  }
  const varTypes = new Map<string, readonly number[] | null>();
  for (const [name, spec] of Object.entries(query.vars ?? {})) {
    if (spec === null) varTypes.set(name, null);
    else {
      const list = typeof spec === 'string' ? [spec] : spec;
      if (!Array.isArray(list)) throw hgError('DTE_ERR_HG_BAD_QUERY', 'matchPattern', `bad type list for ${name}`);
      const ids = new Set<number>();
      for (const t of list) for (const s of store.types.subtypes(store.types.id(t))) ids.add(s);
      varTypes.set(name, [...ids]);
    }
  }
  validateClause(store, query.where);
  const ctx: Ctx = { store, varTypes, accept: query.accept };
  const out = solve(ctx, query.where, [{}]);
  return dedupe(out);
}

function validateClause(store: HypergraphStore, c: PatternClause): void {
  if (c === null || typeof c !== 'object')
    throw hgError('DTE_ERR_HG_BAD_QUERY', 'matchPattern', 'clause must be an object');
  if ('and' in c || 'or' in c) {
    const list = 'and' in c ? c.and : c.or;
    if (!Array.isArray(list) || list.length === 0) {
      throw hgError('DTE_ERR_HG_BAD_QUERY', 'matchPattern', 'and/or need a non-empty list');
    }
    for (const x of list) validateClause(store, x);
  } else if ('absent' in c) validateClause(store, c.absent);
  else if ('link' in c) validateTerm(store, c);
  else throw hgError('DTE_ERR_HG_BAD_QUERY', 'matchPattern', 'clause must be a link pattern, and, or, or absent');
}

function validateTerm(store: HypergraphStore, t: PatternTerm): void {
  if (t === null || typeof t !== 'object')
    throw hgError('DTE_ERR_HG_BAD_QUERY', 'matchPattern', 'term must be an object');
  if ('var' in t) {
    if (typeof t.var !== 'string' || t.var.length === 0)
      throw hgError('DTE_ERR_HG_BAD_QUERY', 'matchPattern', 'bad var');
  } else if ('node' in t) {
    if (!store.types.isNodeType(store.types.id(t.node)) || typeof t.name !== 'string') {
      throw hgError('DTE_ERR_HG_BAD_QUERY', 'matchPattern', `bad node term ${t.node}`);
    }
  } else if ('handle' in t) {
    if (!Number.isInteger(t.handle)) throw hgError('DTE_ERR_HG_BAD_QUERY', 'matchPattern', 'bad handle term');
  } else if ('link' in t) {
    if (!store.types.isLinkType(store.types.id(t.link)) || !Array.isArray(t.out)) {
      throw hgError('DTE_ERR_HG_BAD_QUERY', 'matchPattern', `bad link term ${t.link}`);
    }
    if (store.types.isUnordered(store.types.id(t.link)) && t.out.length > 8) {
      throw hgError('DTE_ERR_HG_BAD_QUERY', 'matchPattern', 'unordered link patterns are limited to 8 members');
    }
    for (const x of t.out) validateTerm(store, x);
  } else throw hgError('DTE_ERR_HG_BAD_QUERY', 'matchPattern', 'unknown term');
}

function solve(ctx: Ctx, c: PatternClause, bs: Binding[]): Binding[] {
  if (bs.length === 0) return bs;
  if ('link' in c) {
    const out: Binding[] = [];
    for (const b of bs) matchLink(ctx, c, b, out, true);
    return out;
  }
  if ('or' in c) return c.or.flatMap((x) => solve(ctx, x, bs));
  if ('absent' in c) return bs.filter((b) => solve(ctx, c.absent, [b]).length === 0);
  // Conjunction: positive clauses first, most-grounded first; absences last (they need bindings).
  const positive = c.and.filter((x) => !('absent' in x));
  const absent = c.and.filter((x) => 'absent' in x);
  let cur = bs;
  const left = positive.slice();
  while (left.length > 0 && cur.length > 0) {
    let best = 0;
    let bestScore = -1;
    for (let i = 0; i < left.length; i++) {
      const s = groundScore(ctx, left[i]!, cur[0]!);
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    }
    cur = solve(ctx, left.splice(best, 1)[0]!, cur);
  }
  for (const a of absent) cur = solve(ctx, a, cur);
  return cur;
}

function groundScore(ctx: Ctx, c: PatternClause, b: Binding): number {
  if (!('link' in c)) return 0;
  let s = 0;
  for (const t of c.out) {
    if ('node' in t || 'handle' in t) s += 2;
    else if ('var' in t) s += b[t.var] !== undefined ? 2 : 0;
    else s += groundScore(ctx, t, b) > 0 ? 1 : 0;
  }
  return s;
}

function resolveGround(ctx: Ctx, t: PatternTerm, b: Binding): Handle | undefined | null {
  // undefined: not ground; null: ground but names no atom (the pattern cannot match).
  if ('var' in t) return b[t.var];
  if ('handle' in t) return ctx.store.has(t.handle) ? t.handle : null;
  if ('node' in t) return ctx.store.getNode(t.node, t.name) ?? null;
  return undefined;
}

function candidates(ctx: Ctx, p: LinkPattern, b: Binding): readonly Handle[] {
  const { store } = ctx;
  for (const t of p.out) {
    const g = resolveGround(ctx, t, b);
    if (g === null) return [];
    if (g !== undefined) return store.incomingByType(g, p.link, false);
  }
  for (const t of p.out) {
    if ('link' in t) {
      const inner = candidates(ctx, t, b);
      const seen = new Set<Handle>();
      for (const l of inner) for (const x of store.incomingByType(l, p.link, false)) seen.add(x);
      return [...seen];
    }
  }
  return store.handlesOfType(p.link, false);
}

function matchLink(ctx: Ctx, p: LinkPattern, b: Binding, out: Binding[], top: boolean): void {
  for (const h of candidates(ctx, p, b)) {
    if (top && ctx.accept !== undefined && !ctx.accept(h)) continue;
    for (const r of unify(ctx, p, h, b)) out.push(r);
  }
}

/** Every way `t` grounds to atom `h` under `b` (several for unordered links). */
function unify(ctx: Ctx, t: PatternTerm, h: Handle, b: Binding): Binding[] {
  const { store } = ctx;
  if ('var' in t) {
    const cur = b[t.var];
    if (cur !== undefined) return cur === h ? [b] : [];
    const types = ctx.varTypes.get(t.var);
    if (types != null && !types.includes(store.typeIdOf(h))) return [];
    return [{ ...b, [t.var]: h }];
  }
  if ('handle' in t) return t.handle === h ? [b] : [];
  if ('node' in t) return store.getNode(t.node, t.name) === h ? [b] : [];
  if (!store.isLink(h) || store.typeOf(h) !== t.link) return [];
  const o = store.outgoingOf(h);
  if (o.length !== t.out.length) return [];
  if (!store.types.isUnordered(store.typeIdOf(h))) return unifySeq(ctx, t.out, o, b);
  // Unordered link: the pattern's terms may match the (sorted) members in any order.
  const out: Binding[] = [];
  for (const perm of permutations(o)) out.push(...unifySeq(ctx, t.out, perm, b));
  return out;
}

function unifySeq(ctx: Ctx, terms: readonly PatternTerm[], atoms: readonly Handle[], b: Binding): Binding[] {
  let cur: Binding[] = [b];
  for (let i = 0; i < atoms.length && cur.length > 0; i++) {
    const next: Binding[] = [];
    for (const x of cur) next.push(...unify(ctx, terms[i]!, atoms[i]!, x));
    cur = next;
  }
  return cur;
}

function* permutations(xs: readonly Handle[]): Generator<Handle[]> {
  if (xs.length <= 1) {
    yield xs.slice();
    return;
  }
  const seen = new Set<Handle>();
  for (let i = 0; i < xs.length; i++) {
    if (seen.has(xs[i]!)) continue;
    seen.add(xs[i]!);
    const rest = xs.slice(0, i).concat(xs.slice(i + 1));
    for (const p of permutations(rest)) yield [xs[i]!, ...p];
  }
}

function dedupe(bs: Binding[]): Binding[] {
  const seen = new Map<string, Binding>();
  for (const b of bs) {
    const key = Object.keys(b)
      .sort()
      .map((k) => `${k}=${b[k]}`)
      .join(';');
    if (!seen.has(key)) seen.set(key, b);
  }
  return [...seen.entries()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)).map(([, b]) => b);
}
