import { MultiDirectedGraph } from 'graphology';
import { type Observable, Subject } from 'rxjs';
import { AtomTypes } from './AtomTypes.ts';
import { hgError } from './errors.ts';
import type { AtomInit, HypergraphStore } from './HypergraphStore.ts';
import {
  type AtomChange,
  type AtomValue,
  type AtomView,
  type AttentionValue,
  type Handle,
  type TruthValue,
  truthValue,
} from './types.ts';

/** How the graphology incidence index is kept. */
export type GraphIndexMode = 'eager' | 'lazy';

/** Options of an `AtomSpace`. */
export interface AtomSpaceOptions {
  /** Share a type hierarchy (e.g. with custom types) instead of the built-in one. */
  readonly types?: AtomTypes;
  /**
   * `lazy` (default): the graphology graph is rebuilt on the first `graph()` call after a change
   * (O(atoms)), so adds stay at hash-map speed. `eager`: every add/remove also updates the graph
   * (about 5-10x slower adds, but `graph()` is always current at no cost).
   */
  readonly graphIndex?: GraphIndexMode;
  /** Initial capacity in atoms (grows by doubling). */
  readonly capacity?: number;
}

/**
 * The in-memory hypergraph store (an AtomSpace). Hot path layout, by handle `h`:
 * `typeIds[h]` (Int32, -1 = dead), `sti/lti/tvS/tvC[h]` (Float64), `vlti[h]` (Int32),
 * `names[h]` or `outs[h]`, `inc[h]` (incoming links). Hash-consing: one `Map<name, h>`
 * per node type and one `Map<"type,o1,o2..", h>` for links. graphology is the
 * incidence index on top (see `graphIndex`).
 *
 * @example
 * ```ts
 * const as = new AtomSpace();
 * const cat = as.addNode('ConceptNode', 'cat');
 * const animal = as.addNode('ConceptNode', 'animal');
 * const isa = as.addLink('InheritanceLink', [cat, animal]);
 * as.addLink('InheritanceLink', [cat, animal]) === isa; // true
 * as.incomingOf(cat); // [isa]
 * ```
 */
export class AtomSpace implements HypergraphStore {
  readonly types: AtomTypes;
  private readonly mode: GraphIndexMode;
  private cap: number;
  private typeIds: Int32Array;
  private stiA: Float64Array;
  private ltiA: Float64Array;
  private vltiA: Int32Array;
  private tvS: Float64Array;
  private tvC: Float64Array;
  private names: Array<string | undefined> = [undefined];
  private outs: Array<Handle[] | undefined> = [undefined];
  private inc: Array<Handle[] | undefined> = [undefined];
  private readonly nodeIndex: Array<Map<string, Handle> | undefined> = [];
  private readonly linkIndex = new Map<string | number, Handle>();
  private readonly byType: Array<Set<Handle> | undefined> = [];
  private readonly values = new Map<Handle, Map<string, AtomValue>>();
  private next = 1;
  /** Cached ascending list of live handles (dropped on every add/remove). */
  private live: Handle[] | undefined;
  private count = 0;
  private readonly subject = new Subject<AtomChange>();
  private g: MultiDirectedGraph | undefined;
  private graphDirty = true;
  /** Type name -> id, filled on first use (types defined later are looked up then). */
  private readonly typeCache = new Map<string, number>();

  /** Every change, in order. */
  readonly changes$: Observable<AtomChange> = this.subject.asObservable();

  constructor(opts: AtomSpaceOptions = {}) {
    this.types = opts.types ?? new AtomTypes();
    this.mode = opts.graphIndex ?? 'lazy';
    if (this.mode !== 'lazy' && this.mode !== 'eager') {
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'new AtomSpace', `graphIndex must be 'lazy' or 'eager'`);
    }
    this.cap = Math.max(16, opts.capacity ?? 1024);
    this.typeIds = new Int32Array(this.cap).fill(-1);
    this.stiA = new Float64Array(this.cap);
    this.ltiA = new Float64Array(this.cap);
    this.vltiA = new Int32Array(this.cap);
    this.tvS = new Float64Array(this.cap).fill(1);
    this.tvC = new Float64Array(this.cap);
    if (this.mode === 'eager') {
      this.g = new MultiDirectedGraph({ allowSelfLoops: false });
      this.graphDirty = false;
    }
  }

  get size(): number {
    return this.count;
  }

  get nextHandle(): number {
    return this.next;
  }

  // ---- adding -------------------------------------------------------------

  addNode(type: string, name: string, init?: AtomInit): Handle {
    const t = this.typeId(type, 'AtomSpace.addNode');
    if (!this.types.isNodeType(t)) throw hgError('DTE_ERR_HG_TYPE_KIND', 'AtomSpace.addNode', type, 'Node');
    if (typeof name !== 'string')
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'AtomSpace.addNode', 'name must be a string');
    let idx = this.nodeIndex[t];
    if (idx === undefined) {
      idx = new Map();
      this.nodeIndex[t] = idx;
    }
    const found = idx.get(name);
    if (found !== undefined) return found;
    const h = this.alloc(t, this.next);
    this.next = h + 1;
    this.names[h] = name;
    this.outs[h] = undefined;
    idx.set(name, h);
    this.afterAdd(h, t, init);
    return h;
  }

  addLink(type: string, outgoing: readonly Handle[], init?: AtomInit): Handle {
    const t = this.typeId(type, 'AtomSpace.addLink');
    if (!this.types.isLinkType(t)) throw hgError('DTE_ERR_HG_TYPE_KIND', 'AtomSpace.addLink', type, 'Link');
    if (!Array.isArray(outgoing)) {
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'AtomSpace.addLink', 'outgoing must be an array of handles');
    }
    if (this.types.isUnordered(t)) outgoing = sortHandles(outgoing);
    const key = this.linkKey(t, outgoing, 'AtomSpace.addLink');
    const found = this.linkIndex.get(key);
    if (found !== undefined) return found;
    const h = this.alloc(t, this.next);
    this.next = h + 1;
    this.linkIndex.set(key, h);
    this.attachLink(h, outgoing);
    this.afterAdd(h, t, init);
    return h;
  }

  restoreAtom(h: Handle, type: string, nameOrOutgoing: string | readonly Handle[]): void {
    if (!Number.isInteger(h) || h <= 0) throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'AtomSpace.restoreAtom', 'bad handle');
    if (h < this.cap && this.typeIds[h]! >= 0) throw hgError('DTE_ERR_HG_HANDLE_TAKEN', 'AtomSpace.restoreAtom', h);
    const t = this.typeId(type, 'AtomSpace.restoreAtom');
    if (typeof nameOrOutgoing === 'string') {
      if (!this.types.isNodeType(t)) throw hgError('DTE_ERR_HG_TYPE_KIND', 'AtomSpace.restoreAtom', type, 'Node');
      let idx = this.nodeIndex[t];
      if (idx === undefined) {
        idx = new Map();
        this.nodeIndex[t] = idx;
      }
      if (idx.has(nameOrOutgoing)) throw hgError('DTE_ERR_HG_BAD_SNAPSHOT', 'AtomSpace.restoreAtom', 'duplicate node');
      this.alloc(t, h);
      this.names[h] = nameOrOutgoing;
      this.outs[h] = undefined;
      idx.set(nameOrOutgoing, h);
    } else {
      if (!this.types.isLinkType(t)) throw hgError('DTE_ERR_HG_TYPE_KIND', 'AtomSpace.restoreAtom', type, 'Link');
      if (!Array.isArray(nameOrOutgoing))
        throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'AtomSpace.restoreAtom', 'bad outgoing');
      if (this.types.isUnordered(t)) nameOrOutgoing = sortHandles(nameOrOutgoing);
      const key = this.linkKey(t, nameOrOutgoing, 'AtomSpace.restoreAtom');
      if (this.linkIndex.has(key)) throw hgError('DTE_ERR_HG_BAD_SNAPSHOT', 'AtomSpace.restoreAtom', 'duplicate link');
      this.alloc(t, h);
      this.linkIndex.set(key, h);
      this.attachLink(h, nameOrOutgoing);
    }
    if (h >= this.next) this.next = h + 1;
    this.afterAdd(h, t, undefined);
  }

  restoreNextHandle(next: number): void {
    if (!Number.isInteger(next) || next < this.next) {
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'AtomSpace.restoreNextHandle', 'next handle must not go backwards');
    }
    this.next = next;
  }

  // ---- lookup -------------------------------------------------------------

  getNode(type: string, name: string): Handle | undefined {
    const t = this.typeId(type, 'AtomSpace.getNode');
    return this.nodeIndex[t]?.get(name);
  }

  getLink(type: string, outgoing: readonly Handle[]): Handle | undefined {
    const t = this.typeId(type, 'AtomSpace.getLink');
    if (this.types.isUnordered(t)) outgoing = sortHandles(outgoing);
    for (let i = 0; i < outgoing.length; i++) {
      const o = outgoing[i]!;
      if (!(o > 0 && o < this.cap && this.typeIds[o]! >= 0)) return undefined;
    }
    return this.linkIndex.get(this.linkKey(t, outgoing, 'AtomSpace.getLink'));
  }

  has(h: Handle): boolean {
    return Number.isInteger(h) && h > 0 && h < this.cap && this.typeIds[h]! >= 0;
  }

  isNode(h: Handle): boolean {
    this.check(h, 'AtomSpace.isNode');
    return this.names[h] !== undefined;
  }

  isLink(h: Handle): boolean {
    this.check(h, 'AtomSpace.isLink');
    return this.outs[h] !== undefined;
  }

  typeOf(h: Handle): string {
    this.check(h, 'AtomSpace.typeOf');
    return this.types.name(this.typeIds[h]!);
  }

  typeIdOf(h: Handle): number {
    this.check(h, 'AtomSpace.typeIdOf');
    return this.typeIds[h]!;
  }

  nameOf(h: Handle): string {
    this.check(h, 'AtomSpace.nameOf');
    const n = this.names[h];
    if (n === undefined) throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'AtomSpace.nameOf', `atom ${h} is a link`);
    return n;
  }

  outgoingOf(h: Handle): readonly Handle[] {
    this.check(h, 'AtomSpace.outgoingOf');
    const o = this.outs[h];
    if (o === undefined) throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'AtomSpace.outgoingOf', `atom ${h} is a node`);
    return o;
  }

  incomingOf(h: Handle): readonly Handle[] {
    if (!(h > 0 && h < this.cap && this.typeIds[h]! >= 0))
      throw hgError('DTE_ERR_HG_NOT_FOUND', 'AtomSpace.incomingOf', h);
    return this.inc[h] ?? EMPTY;
  }

  incomingByType(h: Handle, type: string, subtypes = false): Handle[] {
    const t = this.typeId(type, 'AtomSpace.incomingByType');
    const out: Handle[] = [];
    for (const l of this.incomingOf(h)) {
      const lt = this.typeIds[l]!;
      if (lt === t || (subtypes && this.types.isA(lt, t))) out.push(l);
    }
    return out;
  }

  get(h: Handle): AtomView {
    this.check(h, 'AtomSpace.get');
    const o = this.outs[h];
    return {
      handle: h,
      type: this.types.name(this.typeIds[h]!),
      name: this.names[h],
      outgoing: o === undefined ? undefined : o.slice(),
      tv: this.getTv(h),
      av: this.getAv(h),
    };
  }

  handles(): readonly Handle[] {
    if (this.live === undefined) {
      const out: Handle[] = [];
      for (let h = 1; h < this.next; h++) if (this.typeIds[h]! >= 0) out.push(h);
      this.live = out;
    }
    return this.live;
  }

  handlesOfType(type: string, subtypes = true): Handle[] {
    const t = this.typeId(type, 'AtomSpace.handlesOfType');
    const ts = subtypes ? this.types.subtypes(t) : [t];
    const out: Handle[] = [];
    for (const x of ts) {
      const s = this.byType[x];
      if (s !== undefined) for (const h of s) out.push(h);
    }
    return ts.length > 1 ? out.sort((a, b) => a - b) : out;
  }

  // ---- values -------------------------------------------------------------

  getTv(h: Handle): TruthValue {
    this.check(h, 'AtomSpace.getTv');
    return truthValue(this.tvS[h]!, this.tvC[h]!);
  }

  setTv(h: Handle, strength: number, confidence: number): void {
    this.check(h, 'AtomSpace.setTv');
    if (!(strength >= 0 && strength <= 1) || !(confidence >= 0 && confidence <= 1)) {
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'AtomSpace.setTv', 'strength and confidence must lie in [0, 1]');
    }
    this.tvS[h] = strength;
    this.tvC[h] = confidence;
    if (this.subject.observed) this.subject.next({ kind: 'tv', handle: h, strength, confidence });
  }

  getAv(h: Handle): AttentionValue {
    this.check(h, 'AtomSpace.getAv');
    return { sti: this.stiA[h]!, lti: this.ltiA[h]!, vlti: this.vltiA[h]! };
  }

  getSti(h: Handle): number {
    this.check(h, 'AtomSpace.getSti');
    return this.stiA[h]!;
  }

  getLti(h: Handle): number {
    this.check(h, 'AtomSpace.getLti');
    return this.ltiA[h]!;
  }

  getVlti(h: Handle): number {
    this.check(h, 'AtomSpace.getVlti');
    return this.vltiA[h]!;
  }

  setAv(h: Handle, sti: number, lti: number, vlti: number): void {
    this.check(h, 'AtomSpace.setAv');
    if (!Number.isFinite(sti) || !Number.isFinite(lti) || !Number.isInteger(vlti)) {
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'AtomSpace.setAv', 'sti/lti must be finite, vlti an integer');
    }
    const old = this.subject.observed ? { sti: this.stiA[h]!, lti: this.ltiA[h]!, vlti: this.vltiA[h]! } : undefined;
    this.stiA[h] = sti;
    this.ltiA[h] = lti;
    this.vltiA[h] = vlti;
    if (old !== undefined) this.subject.next({ kind: 'av', handle: h, sti, lti, vlti, old });
  }

  getValue(h: Handle, key: string): AtomValue | undefined {
    this.check(h, 'AtomSpace.getValue');
    return this.values.get(h)?.get(key);
  }

  setValue(h: Handle, key: string, value: AtomValue | undefined): void {
    this.check(h, 'AtomSpace.setValue');
    if (typeof key !== 'string' || key.length === 0) {
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'AtomSpace.setValue', 'key must be a non-empty string');
    }
    if (value !== undefined && !isAtomValue(value)) {
      throw hgError(
        'DTE_ERR_HG_BAD_ARGUMENT',
        'AtomSpace.setValue',
        'value must be string, finite number, boolean, number[] or Float32Array',
      );
    }
    let m = this.values.get(h);
    if (value === undefined) {
      m?.delete(key);
      if (m !== undefined && m.size === 0) this.values.delete(h);
    } else {
      if (m === undefined) {
        m = new Map();
        this.values.set(h, m);
      }
      m.set(key, value);
    }
    if (this.subject.observed) this.subject.next({ kind: 'value', handle: h, key, value });
  }

  valueKeys(h: Handle): string[] {
    this.check(h, 'AtomSpace.valueKeys');
    return [...(this.values.get(h)?.keys() ?? [])];
  }

  // ---- removal ------------------------------------------------------------

  remove(h: Handle, opts: { readonly recursive?: boolean } = {}): Handle[] {
    this.check(h, 'AtomSpace.remove');
    const incoming = this.inc[h];
    if (incoming !== undefined && incoming.length > 0 && opts.recursive !== true) {
      throw hgError('DTE_ERR_HG_HAS_INCOMING', 'AtomSpace.remove', h, incoming.length);
    }
    const removed: Handle[] = [];
    this.removeRec(h, removed);
    return removed;
  }

  private removeRec(h: Handle, removed: Handle[]): void {
    const incoming = this.inc[h];
    if (incoming !== undefined) {
      for (const l of incoming.slice()) if (this.typeIds[l]! >= 0) this.removeRec(l, removed);
    }
    const t = this.typeIds[h]!;
    const o = this.outs[h];
    if (o === undefined) {
      this.nodeIndex[t]!.delete(this.names[h]!);
    } else {
      this.linkIndex.delete(this.linkKey(t, o, 'AtomSpace.remove'));
      for (const x of o) {
        const xi = this.inc[x];
        if (xi === undefined) continue;
        // Ordered removal keeps every incoming set in ascending handle order, the same order a
        // store restored from a snapshot has, so iteration (and float sums) replay identically.
        let lo = 0;
        let hi = xi.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (xi[mid]! < h) lo = mid + 1;
          else hi = mid;
        }
        if (xi[lo] === h) xi.splice(lo, 1);
      }
    }
    const av = { sti: this.stiA[h]!, lti: this.ltiA[h]!, vlti: this.vltiA[h]! };
    this.byType[t]!.delete(h);
    this.typeIds[h] = -1;
    this.live = undefined;
    this.names[h] = undefined;
    this.outs[h] = undefined;
    this.inc[h] = undefined;
    this.stiA[h] = 0;
    this.ltiA[h] = 0;
    this.vltiA[h] = 0;
    this.tvS[h] = 1;
    this.tvC[h] = 0;
    this.values.delete(h);
    this.count--;
    removed.push(h);
    if (this.mode === 'eager') this.g!.dropNode(String(h));
    else this.graphDirty = true;
    this.subject.next({ kind: 'removed', handle: h, av });
  }

  // ---- graphology index ---------------------------------------------------

  graph(): MultiDirectedGraph {
    if (this.g !== undefined && !this.graphDirty) return this.g;
    const g = new MultiDirectedGraph({ allowSelfLoops: false });
    for (let h = 1; h < this.next; h++) {
      const t = this.typeIds[h]!;
      if (t >= 0) g.addNode(String(h), { type: this.types.name(t) });
    }
    for (let h = 1; h < this.next; h++) {
      const o = this.outs[h];
      if (o !== undefined && this.typeIds[h]! >= 0) {
        for (let i = 0; i < o.length; i++) g.addDirectedEdge(String(h), String(o[i]), { position: i });
      }
    }
    this.g = g;
    this.graphDirty = false;
    return g;
  }

  // ---- internals ----------------------------------------------------------

  private typeId(type: string, method: string): number {
    const hit = this.typeCache.get(type);
    if (hit !== undefined) return hit;
    if (typeof type !== 'string') throw hgError('DTE_ERR_HG_BAD_ARGUMENT', method, 'type must be a string');
    if (!this.types.has(type)) throw hgError('DTE_ERR_HG_UNKNOWN_TYPE', method, JSON.stringify(type));
    const t = this.types.id(type);
    this.typeCache.set(type, t);
    return t;
  }

  /**
   * Hash-consing key of a link. Arity 1-2 with handles below 2^21 and type ids below 1024 pack
   * exactly into one double (no string building, the hot case); anything else is a string.
   */
  private linkKey(t: number, out: readonly Handle[], method: string): string | number {
    const n = out.length;
    for (let i = 0; i < n; i++) {
      const o = out[i]!;
      if (!(o > 0 && o < this.cap && this.typeIds[o]! >= 0) || !Number.isInteger(o)) {
        if (typeof o === 'number' && Number.isInteger(o)) throw hgError('DTE_ERR_HG_NOT_FOUND', method, o);
        throw hgError('DTE_ERR_HG_BAD_ARGUMENT', method, 'outgoing must hold integer handles');
      }
    }
    if (t < 1024) {
      if (n === 2) {
        const a = out[0]!;
        const b = out[1]!;
        // Packed: t + 1024 * (a + 2^21 * b) < 2^52; negative range keeps arity 1 disjoint.
        if (a < 2097152 && b < 2097152) return t + 1024 * (a + 2097152 * b);
      } else if (n === 1) {
        return -(t + 1024 * out[0]!) - 1;
      }
    }
    let k = String(t);
    for (let i = 0; i < n; i++) k += `,${out[i]}`;
    return k;
  }

  private attachLink(h: Handle, outgoing: readonly Handle[]): void {
    const o = outgoing.slice();
    this.outs[h] = o;
    this.names[h] = undefined;
    for (let i = 0; i < o.length; i++) {
      const x = o[i]!;
      let xi = this.inc[x];
      if (xi === undefined) {
        xi = [];
        this.inc[x] = xi;
      }
      if (xi[xi.length - 1] !== h) xi.push(h);
    }
  }

  private alloc(t: number, h: Handle): Handle {
    while (h >= this.cap) this.grow();
    // Keep the per-handle arrays dense (holes would push V8 into slow dictionary elements).
    while (this.inc.length <= h) {
      this.inc.push(undefined);
      this.names.push(undefined);
      this.outs.push(undefined);
    }
    this.typeIds[h] = t;
    this.count++;
    this.live = undefined;
    let s = this.byType[t];
    if (s === undefined) {
      s = new Set();
      this.byType[t] = s;
    }
    s.add(h);
    return h;
  }

  private afterAdd(h: Handle, t: number, init: AtomInit | undefined): void {
    if (this.mode === 'eager') {
      const g = this.g!;
      const k = String(h);
      g.addNode(k, { type: this.types.name(t) });
      const o = this.outs[h];
      if (o !== undefined) for (let i = 0; i < o.length; i++) g.addDirectedEdge(k, String(o[i]), { position: i });
    } else {
      this.graphDirty = true;
    }
    if (this.subject.observed) {
      const o = this.outs[h];
      this.subject.next(
        o === undefined
          ? { kind: 'added', handle: h, type: this.types.name(t), name: this.names[h]! }
          : { kind: 'added', handle: h, type: this.types.name(t), outgoing: o.slice() },
      );
    }
    // Initial values follow the 'added' event so a replayed log sees the atom first.
    if (init !== undefined) {
      if (init.tv !== undefined) this.setTv(h, init.tv.strength, init.tv.confidence);
      if (init.av !== undefined) this.setAv(h, init.av.sti ?? 0, init.av.lti ?? 0, init.av.vlti ?? 0);
    }
  }

  private grow(): void {
    const cap = this.cap * 2;
    const grow = <T extends Float64Array | Int32Array>(a: T, fill: number): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      if (fill !== 0) b.fill(fill, this.cap);
      return b;
    };
    this.typeIds = grow(this.typeIds, -1);
    this.stiA = grow(this.stiA, 0);
    this.ltiA = grow(this.ltiA, 0);
    this.vltiA = grow(this.vltiA, 0);
    this.tvS = grow(this.tvS, 1);
    this.tvC = grow(this.tvC, 0);
    this.cap = cap;
  }

  private check(h: Handle, method: string): void {
    if (!(h > 0 && h < this.cap && this.typeIds[h]! >= 0)) {
      if (typeof h !== 'number') throw hgError('DTE_ERR_HG_BAD_ARGUMENT', method, 'handle must be a number');
      throw hgError('DTE_ERR_HG_NOT_FOUND', method, h);
    }
  }
}

const EMPTY: readonly Handle[] = Object.freeze([]);

/** A sorted copy of an outgoing set (the canonical order of unordered links). */
export function sortHandles(out: readonly Handle[]): Handle[] {
  return out.slice().sort((a, b) => a - b);
}

function isAtomValue(v: unknown): v is AtomValue {
  if (typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (v instanceof Float32Array) return true;
  return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
}
