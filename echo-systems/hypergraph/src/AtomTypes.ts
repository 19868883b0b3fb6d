import { hgError } from './errors.ts';

/** The built-in hierarchy: [type, parent]. Parents precede children. */
const BUILTIN: ReadonlyArray<readonly [string, string | null]> = [
  ['Atom', null],
  ['Node', 'Atom'],
  ['Link', 'Atom'],
  ['ConceptNode', 'Node'],
  ['PredicateNode', 'Node'],
  ['SchemaNode', 'Node'],
  ['NumberNode', 'Node'],
  ['VariableNode', 'Node'],
  ['TypeNode', 'Node'],
  ['AnchorNode', 'Node'],
  ['EpisodeNode', 'Node'],
  ['ObservationNode', 'EpisodeNode'],
  ['ActionNode', 'EpisodeNode'],
  ['OutcomeNode', 'EpisodeNode'],
  ['OrderedLink', 'Link'],
  ['UnorderedLink', 'Link'],
  ['ListLink', 'OrderedLink'],
  ['SetLink', 'UnorderedLink'],
  ['MemberLink', 'OrderedLink'],
  ['StateLink', 'OrderedLink'],
  ['EvaluationLink', 'OrderedLink'],
  ['ExecutionLink', 'OrderedLink'],
  ['InheritanceLink', 'OrderedLink'],
  ['SubsetLink', 'OrderedLink'],
  ['SimilarityLink', 'UnorderedLink'],
  ['ImplicationLink', 'OrderedLink'],
  ['ContextLink', 'OrderedLink'],
  ['AtTimeLink', 'OrderedLink'],
  ['AndLink', 'UnorderedLink'],
  ['OrLink', 'UnorderedLink'],
  ['NotLink', 'OrderedLink'],
  ['HebbianLink', 'OrderedLink'],
  ['AsymmetricHebbianLink', 'HebbianLink'],
  ['SymmetricHebbianLink', 'HebbianLink'],
  ['InverseHebbianLink', 'HebbianLink'],
];

/**
 * The atom type hierarchy (OpenCog's NameServer): integer type ids, a parent
 * per type, `isA` including subtypes. Every type descends from `Node` or `Link`.
 *
 * @example
 * ```ts
 * const types = new AtomTypes();
 * types.define('PlaceNode', 'ConceptNode');
 * types.isA(types.id('PlaceNode'), types.id('Node')); // true
 * ```
 */
export class AtomTypes {
  private readonly names: string[] = [];
  private readonly parents: number[] = [];
  private readonly byName = new Map<string, number>();
  private readonly ancestors: Set<number>[] = [];
  private readonly nodeFlags: boolean[] = [];
  private readonly unorderedFlags: boolean[] = [];
  private readonly subtypeCache = new Map<number, readonly number[]>();

  constructor() {
    for (const [name, parent] of BUILTIN) this.define(name, parent);
  }

  /** Registers `name` under `parent` (idempotent when the parent matches); returns its id. */
  define(name: string, parent: string | null): number {
    if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'AtomTypes.define', `bad type name ${JSON.stringify(name)}`);
    }
    const existing = this.byName.get(name);
    const parentId = parent === null ? -1 : this.id(parent);
    if (existing !== undefined) {
      if (this.parents[existing] !== parentId) {
        throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'AtomTypes.define', `${name} already has another parent`);
      }
      return existing;
    }
    if (parent === null && this.names.length > 0) {
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'AtomTypes.define', 'only Atom is a root type');
    }
    const id = this.names.length;
    this.names.push(name);
    this.parents.push(parentId);
    this.byName.set(name, id);
    const anc = new Set<number>([id]);
    if (parentId >= 0) for (const a of this.ancestors[parentId]!) anc.add(a);
    this.ancestors.push(anc);
    this.nodeFlags.push(name === 'Node' || (parentId >= 0 && this.nodeFlags[parentId] === true));
    this.unorderedFlags.push(name === 'UnorderedLink' || (parentId >= 0 && this.unorderedFlags[parentId] === true));
    this.subtypeCache.clear();
    return id;
  }

  /** The id of a type name; throws `DTE_ERR_HG_UNKNOWN_TYPE`. */
  id(name: string): number {
    const id = this.byName.get(name);
    if (id === undefined) throw hgError('DTE_ERR_HG_UNKNOWN_TYPE', 'AtomTypes.id', JSON.stringify(name));
    return id;
  }

  /** Whether `name` is registered. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The name of a type id. */
  name(id: number): string {
    const n = this.names[id];
    if (n === undefined) throw hgError('DTE_ERR_HG_UNKNOWN_TYPE', 'AtomTypes.name', id);
    return n;
  }

  /** The parent type name, or null for `Atom`. */
  parent(name: string): string | null {
    const p = this.parents[this.id(name)]!;
    return p < 0 ? null : this.names[p]!;
  }

  /** True when `type` is `ancestor` or a subtype of it. */
  isA(type: number, ancestor: number): boolean {
    return this.ancestors[type]?.has(ancestor) === true;
  }

  /** True for Node types, false for Link types (and `Atom`). */
  isNodeType(type: number): boolean {
    return this.nodeFlags[type] === true;
  }

  /** True for Link types. */
  isLinkType(type: number): boolean {
    return this.isA(type, 2);
  }

  /**
   * True for UnorderedLink types (SetLink, AndLink, OrLink, SimilarityLink, ...): their outgoing
   * set is kept sorted by handle, so `Set(a, b)` and `Set(b, a)` are one atom (as in OpenCog).
   */
  isUnordered(type: number): boolean {
    return this.unorderedFlags[type] === true;
  }

  /** `type` and all its subtypes. */
  subtypes(type: number): readonly number[] {
    let s = this.subtypeCache.get(type);
    if (s === undefined) {
      s = this.ancestors.flatMap((anc, id) => (anc.has(type) ? [id] : []));
      this.subtypeCache.set(type, s);
    }
    return s;
  }

  /** Number of registered types. */
  get size(): number {
    return this.names.length;
  }

  /** User-defined types (beyond the built-ins) as [name, parent] pairs, in definition order. */
  custom(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (let i = BUILTIN.length; i < this.names.length; i++) out.push([this.names[i]!, this.names[this.parents[i]!]!]);
    return out;
  }
}
