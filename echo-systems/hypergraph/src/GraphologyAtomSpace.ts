import { MultiDirectedGraph } from 'graphology';
import { type Observable, Subject } from 'rxjs';
import { sortHandles } from './AtomSpace.ts';
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

interface AtomAttrs {
  /** Type name (what `AtomSpace.graph()` also exposes). */
  type: string;
  tid: number;
  name: string | undefined;
  out: Handle[] | undefined;
  sti: number;
  lti: number;
  vlti: number;
  s: number;
  c: number;
  values: Map<string, AtomValue> | undefined;
}

/**
 * A reference hypergraph store kept entirely in graphology: every atom is a
 * graph vertex carrying its attributes, every link has one edge per outgoing
 * position. Simple and obviously correct, several times slower than
 * `AtomSpace`; it exists so the conformance spec checks two independent
 * implementations of `HypergraphStore`.
 *
 * @example
 * ```ts
 * const g = new GraphologyAtomSpace();
 * const a = g.addNode('ConceptNode', 'a');
 * g.graph().getNodeAttribute(String(a), 'name'); // 'a'
 * ```
 */
export class GraphologyAtomSpace implements HypergraphStore {
  readonly types: AtomTypes;
  private readonly g = new MultiDirectedGraph<AtomAttrs, { position: number }>({ allowSelfLoops: false });
  private readonly nodes = new Map<string, Handle>();
  private readonly links = new Map<string, Handle>();
  private readonly subject = new Subject<AtomChange>();
  private next = 1;
  readonly changes$: Observable<AtomChange> = this.subject.asObservable();

  constructor(opts: { readonly types?: AtomTypes } = {}) {
    this.types = opts.types ?? new AtomTypes();
  }

  get size(): number {
    return this.g.order;
  }

  get nextHandle(): number {
    return this.next;
  }

  addNode(type: string, name: string, init?: AtomInit): Handle {
    const t = this.nodeType(type, 'GraphologyAtomSpace.addNode');
    if (typeof name !== 'string')
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'GraphologyAtomSpace.addNode', 'name must be a string');
    const found = this.nodes.get(`${t}:${name}`);
    if (found !== undefined) return found;
    return this.insert(this.next, t, name, undefined, init);
  }

  addLink(type: string, outgoing: readonly Handle[], init?: AtomInit): Handle {
    const t = this.linkType(type, 'GraphologyAtomSpace.addLink');
    if (this.types.isUnordered(t) && Array.isArray(outgoing)) outgoing = sortHandles(outgoing);
    const key = this.linkKey(t, outgoing, 'GraphologyAtomSpace.addLink');
    const found = this.links.get(key);
    if (found !== undefined) return found;
    return this.insert(this.next, t, undefined, outgoing.slice(), init);
  }

  restoreAtom(h: Handle, type: string, body: string | readonly Handle[]): void {
    if (!Number.isInteger(h) || h <= 0)
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'GraphologyAtomSpace.restoreAtom', 'bad handle');
    if (this.g.hasNode(String(h))) throw hgError('DTE_ERR_HG_HANDLE_TAKEN', 'GraphologyAtomSpace.restoreAtom', h);
    if (typeof body === 'string') {
      const t = this.nodeType(type, 'GraphologyAtomSpace.restoreAtom');
      if (this.nodes.has(`${t}:${body}`))
        throw hgError('DTE_ERR_HG_BAD_SNAPSHOT', 'GraphologyAtomSpace.restoreAtom', 'duplicate node');
      this.insert(h, t, body, undefined, undefined);
    } else {
      const t = this.linkType(type, 'GraphologyAtomSpace.restoreAtom');
      if (this.types.isUnordered(t)) body = sortHandles(body);
      if (this.links.has(this.linkKey(t, body, 'GraphologyAtomSpace.restoreAtom'))) {
        throw hgError('DTE_ERR_HG_BAD_SNAPSHOT', 'GraphologyAtomSpace.restoreAtom', 'duplicate link');
      }
      this.insert(h, t, undefined, body.slice(), undefined);
    }
  }

  restoreNextHandle(next: number): void {
    if (!Number.isInteger(next) || next < this.next) {
      throw hgError(
        'DTE_ERR_HG_BAD_ARGUMENT',
        'GraphologyAtomSpace.restoreNextHandle',
        'next handle must not go backwards',
      );
    }
    this.next = next;
  }

  getNode(type: string, name: string): Handle | undefined {
    return this.nodes.get(`${this.types.id(type)}:${name}`);
  }

  getLink(type: string, outgoing: readonly Handle[]): Handle | undefined {
    const t = this.types.id(type);
    if (this.types.isUnordered(t)) outgoing = sortHandles(outgoing);
    if (!outgoing.every((o) => this.has(o))) return undefined;
    return this.links.get(this.linkKey(t, outgoing, 'GraphologyAtomSpace.getLink'));
  }

  has(h: Handle): boolean {
    return typeof h === 'number' && this.g.hasNode(String(h));
  }

  isNode(h: Handle): boolean {
    return this.attrs(h, 'GraphologyAtomSpace.isNode').out === undefined;
  }

  isLink(h: Handle): boolean {
    return this.attrs(h, 'GraphologyAtomSpace.isLink').out !== undefined;
  }

  typeOf(h: Handle): string {
    return this.attrs(h, 'GraphologyAtomSpace.typeOf').type;
  }

  typeIdOf(h: Handle): number {
    return this.attrs(h, 'GraphologyAtomSpace.typeIdOf').tid;
  }

  nameOf(h: Handle): string {
    const a = this.attrs(h, 'GraphologyAtomSpace.nameOf');
    if (a.name === undefined)
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'GraphologyAtomSpace.nameOf', `atom ${h} is a link`);
    return a.name;
  }

  outgoingOf(h: Handle): readonly Handle[] {
    const a = this.attrs(h, 'GraphologyAtomSpace.outgoingOf');
    if (a.out === undefined)
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'GraphologyAtomSpace.outgoingOf', `atom ${h} is a node`);
    return a.out;
  }

  incomingOf(h: Handle): readonly Handle[] {
    this.attrs(h, 'GraphologyAtomSpace.incomingOf');
    return this.g
      .inNeighbors(String(h))
      .map(Number)
      .sort((x, y) => x - y);
  }

  incomingByType(h: Handle, type: string, subtypes = false): Handle[] {
    const t = this.types.id(type);
    return this.incomingOf(h).filter((l) => {
      const lt = this.typeIdOf(l);
      return lt === t || (subtypes && this.types.isA(lt, t));
    });
  }

  get(h: Handle): AtomView {
    const a = this.attrs(h, 'GraphologyAtomSpace.get');
    return { handle: h, type: a.type, name: a.name, outgoing: a.out?.slice(), tv: this.getTv(h), av: this.getAv(h) };
  }

  handles(): readonly Handle[] {
    return this.g
      .nodes()
      .map(Number)
      .sort((a, b) => a - b);
  }

  handlesOfType(type: string, subtypes = true): Handle[] {
    const t = this.types.id(type);
    return this.handles().filter((h) => {
      const ht = this.typeIdOf(h);
      return ht === t || (subtypes && this.types.isA(ht, t));
    });
  }

  getTv(h: Handle): TruthValue {
    const a = this.attrs(h, 'GraphologyAtomSpace.getTv');
    return truthValue(a.s, a.c);
  }

  setTv(h: Handle, strength: number, confidence: number): void {
    const a = this.attrs(h, 'GraphologyAtomSpace.setTv');
    if (!(strength >= 0 && strength <= 1) || !(confidence >= 0 && confidence <= 1)) {
      throw hgError(
        'DTE_ERR_HG_BAD_ARGUMENT',
        'GraphologyAtomSpace.setTv',
        'strength and confidence must lie in [0, 1]',
      );
    }
    a.s = strength;
    a.c = confidence;
    this.subject.next({ kind: 'tv', handle: h, strength, confidence });
  }

  getAv(h: Handle): AttentionValue {
    const a = this.attrs(h, 'GraphologyAtomSpace.getAv');
    return { sti: a.sti, lti: a.lti, vlti: a.vlti };
  }

  getSti(h: Handle): number {
    return this.attrs(h, 'GraphologyAtomSpace.getSti').sti;
  }

  getLti(h: Handle): number {
    return this.attrs(h, 'GraphologyAtomSpace.getLti').lti;
  }

  getVlti(h: Handle): number {
    return this.attrs(h, 'GraphologyAtomSpace.getVlti').vlti;
  }

  setAv(h: Handle, sti: number, lti: number, vlti: number): void {
    const a = this.attrs(h, 'GraphologyAtomSpace.setAv');
    if (!Number.isFinite(sti) || !Number.isFinite(lti) || !Number.isInteger(vlti)) {
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'GraphologyAtomSpace.setAv', 'sti/lti must be finite, vlti an integer');
    }
    const old = { sti: a.sti, lti: a.lti, vlti: a.vlti };
    a.sti = sti;
    a.lti = lti;
    a.vlti = vlti;
    this.subject.next({ kind: 'av', handle: h, sti, lti, vlti, old });
  }

  getValue(h: Handle, key: string): AtomValue | undefined {
    return this.attrs(h, 'GraphologyAtomSpace.getValue').values?.get(key);
  }

  setValue(h: Handle, key: string, value: AtomValue | undefined): void {
    const a = this.attrs(h, 'GraphologyAtomSpace.setValue');
    if (typeof key !== 'string' || key.length === 0) {
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'GraphologyAtomSpace.setValue', 'key must be a non-empty string');
    }
    const ok =
      value === undefined ||
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      value instanceof Float32Array ||
      (Array.isArray(value) && value.every((x) => typeof x === 'number' && Number.isFinite(x)));
    if (!ok) throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'GraphologyAtomSpace.setValue', 'unsupported value');
    if (value === undefined) a.values?.delete(key);
    else {
      a.values ??= new Map();
      a.values.set(key, value);
    }
    this.subject.next({ kind: 'value', handle: h, key, value });
  }

  valueKeys(h: Handle): string[] {
    return [...(this.attrs(h, 'GraphologyAtomSpace.valueKeys').values?.keys() ?? [])];
  }

  remove(h: Handle, opts: { readonly recursive?: boolean } = {}): Handle[] {
    this.attrs(h, 'GraphologyAtomSpace.remove');
    const inc = this.incomingOf(h);
    if (inc.length > 0 && opts.recursive !== true)
      throw hgError('DTE_ERR_HG_HAS_INCOMING', 'GraphologyAtomSpace.remove', h, inc.length);
    const removed: Handle[] = [];
    const rec = (x: Handle) => {
      for (const l of this.incomingOf(x)) if (this.has(l)) rec(l);
      const a = this.g.getNodeAttributes(String(x));
      if (a.out === undefined) this.nodes.delete(`${a.tid}:${a.name}`);
      else this.links.delete(this.linkKey(a.tid, a.out, 'GraphologyAtomSpace.remove'));
      this.g.dropNode(String(x));
      removed.push(x);
      this.subject.next({ kind: 'removed', handle: x, av: { sti: a.sti, lti: a.lti, vlti: a.vlti } });
    };
    rec(h);
    return removed;
  }

  graph(): MultiDirectedGraph {
    return this.g as unknown as MultiDirectedGraph;
  }

  private insert(
    h: Handle,
    t: number,
    name: string | undefined,
    out: Handle[] | undefined,
    init: AtomInit | undefined,
  ): Handle {
    const k = String(h);
    this.g.addNode(k, {
      type: this.types.name(t),
      tid: t,
      name,
      out,
      sti: 0,
      lti: 0,
      vlti: 0,
      s: 1,
      c: 0,
      values: undefined,
    });
    if (out === undefined) this.nodes.set(`${t}:${name}`, h);
    else {
      this.links.set(this.linkKey(t, out, 'GraphologyAtomSpace.insert'), h);
      for (let i = 0; i < out.length; i++) this.g.addDirectedEdge(k, String(out[i]), { position: i });
    }
    if (h >= this.next) this.next = h + 1;
    this.subject.next(
      out === undefined
        ? { kind: 'added', handle: h, type: this.types.name(t), name: name! }
        : { kind: 'added', handle: h, type: this.types.name(t), outgoing: out.slice() },
    );
    if (init?.tv !== undefined) this.setTv(h, init.tv.strength, init.tv.confidence);
    if (init?.av !== undefined) this.setAv(h, init.av.sti ?? 0, init.av.lti ?? 0, init.av.vlti ?? 0);
    return h;
  }

  private nodeType(type: string, method: string): number {
    const t = this.types.id(type);
    if (!this.types.isNodeType(t)) throw hgError('DTE_ERR_HG_TYPE_KIND', method, type, 'Node');
    return t;
  }

  private linkType(type: string, method: string): number {
    const t = this.types.id(type);
    if (!this.types.isLinkType(t)) throw hgError('DTE_ERR_HG_TYPE_KIND', method, type, 'Link');
    return t;
  }

  private linkKey(t: number, out: readonly Handle[], method: string): string {
    if (!Array.isArray(out)) throw hgError('DTE_ERR_HG_BAD_ARGUMENT', method, 'outgoing must be an array of handles');
    for (const o of out) {
      if (typeof o !== 'number' || !Number.isInteger(o))
        throw hgError('DTE_ERR_HG_BAD_ARGUMENT', method, 'outgoing must hold integer handles');
      if (!this.g.hasNode(String(o))) throw hgError('DTE_ERR_HG_NOT_FOUND', method, o);
    }
    return `${t}|${out.join(',')}`;
  }

  private attrs(h: Handle, method: string): AtomAttrs {
    if (typeof h !== 'number') throw hgError('DTE_ERR_HG_BAD_ARGUMENT', method, 'handle must be a number');
    const k = String(h);
    if (!this.g.hasNode(k)) throw hgError('DTE_ERR_HG_NOT_FOUND', method, h);
    return this.g.getNodeAttributes(k);
  }
}
