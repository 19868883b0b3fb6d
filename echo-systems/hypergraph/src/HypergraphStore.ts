import type { MultiDirectedGraph } from 'graphology';
import type { Observable } from 'rxjs';
import type { AtomTypes } from './AtomTypes.ts';
import type { AtomChange, AtomValue, AtomView, AttentionValue, Handle, TruthValue } from './types.ts';

/** Optional initial values for a new atom (ignored when the atom already exists). */
export interface AtomInit {
  readonly tv?: { readonly strength: number; readonly confidence: number };
  readonly av?: Partial<AttentionValue>;
}

/**
 * The contract every hypergraph store satisfies (checked by the conformance
 * spec in `test/hypergraphSpec.ts`). Handles are positive integers; adding an
 * existing atom returns its handle (hash-consing).
 */
export interface HypergraphStore {
  readonly types: AtomTypes;
  /** Number of live atoms. */
  readonly size: number;
  /** Every change, in order: added, removed, tv, av, value. */
  readonly changes$: Observable<AtomChange>;

  addNode(type: string, name: string, init?: AtomInit): Handle;
  addLink(type: string, outgoing: readonly Handle[], init?: AtomInit): Handle;
  getNode(type: string, name: string): Handle | undefined;
  getLink(type: string, outgoing: readonly Handle[]): Handle | undefined;
  has(h: Handle): boolean;
  isNode(h: Handle): boolean;
  isLink(h: Handle): boolean;
  typeOf(h: Handle): string;
  typeIdOf(h: Handle): number;
  nameOf(h: Handle): string;
  outgoingOf(h: Handle): readonly Handle[];
  /** Links whose outgoing set contains `h`, each once, in ascending handle order (so replays iterate identically). Read-only. */
  incomingOf(h: Handle): readonly Handle[];
  /** Incoming links of exactly `type` (or its subtypes when `subtypes`). */
  incomingByType(h: Handle, type: string, subtypes?: boolean): Handle[];
  get(h: Handle): AtomView;
  /** Live handles in ascending order (a shared, read-only array: copy it before mutating the store if you keep it). */
  handles(): readonly Handle[];
  /** Live handles of `type` (and its subtypes unless `subtypes` is false). */
  handlesOfType(type: string, subtypes?: boolean): Handle[];

  getTv(h: Handle): TruthValue;
  setTv(h: Handle, strength: number, confidence: number): void;
  getAv(h: Handle): AttentionValue;
  getSti(h: Handle): number;
  getLti(h: Handle): number;
  getVlti(h: Handle): number;
  setAv(h: Handle, sti: number, lti: number, vlti: number): void;
  getValue(h: Handle, key: string): AtomValue | undefined;
  setValue(h: Handle, key: string, value: AtomValue | undefined): void;
  valueKeys(h: Handle): string[];

  /** Removes `h`; with `recursive`, first removes every link that contains it. Returns removed handles. */
  remove(h: Handle, opts?: { readonly recursive?: boolean }): Handle[];

  /** Re-creates an atom on a given handle (persistence); the store must not hold that handle. */
  restoreAtom(h: Handle, type: string, nameOrOutgoing: string | readonly Handle[]): void;
  /** Moves the handle counter forward (persistence restores it exactly). */
  restoreNextHandle(next: number): void;
  /** The next handle `addNode`/`addLink` will use. */
  readonly nextHandle: number;

  /** The bipartite incidence graph (graphology): every atom a vertex, an edge link → member per position. */
  graph(): MultiDirectedGraph;
}
