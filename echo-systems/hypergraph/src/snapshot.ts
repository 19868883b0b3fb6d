import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { AtomSpace, type AtomSpaceOptions } from './AtomSpace.ts';
import { hgError } from './errors.ts';
import type { HypergraphStore } from './HypergraphStore.ts';
import { decodeValue, type EncodedValue, encodeValue } from './valueCodec.ts';

/** One atom in a snapshot: handle, type, name or outgoing, tv strength, tv confidence, sti, lti, vlti, values. */
export type SnapshotAtom = [
  number,
  string,
  string | number[],
  number,
  number,
  number,
  number,
  number,
  Record<string, EncodedValue>?,
];

/** A whole store as plain JSON data. */
export interface Snapshot {
  readonly format: 'dte-hypergraph-snapshot';
  readonly version: 1;
  readonly nextHandle: number;
  /** Custom types as [name, parent], in definition order. */
  readonly types: Array<[string, string]>;
  /** Atoms in ascending handle order (links after the atoms they contain). */
  readonly atoms: SnapshotAtom[];
}

/** Captures every atom, truth value, attention value, value and the handle counter. */
export function toSnapshot(store: HypergraphStore): Snapshot {
  const atoms: SnapshotAtom[] = [];
  for (const h of store.handles()) {
    const tv = store.getTv(h);
    const av = store.getAv(h);
    const row: SnapshotAtom = [
      h,
      store.typeOf(h),
      store.isNode(h) ? store.nameOf(h) : store.outgoingOf(h).slice(),
      tv.strength,
      tv.confidence,
      av.sti,
      av.lti,
      av.vlti,
    ];
    const keys = store.valueKeys(h);
    if (keys.length > 0) {
      const vals: Record<string, EncodedValue> = {};
      for (const k of keys) vals[k] = encodeValue(store.getValue(h, k)!);
      row.push(vals);
    }
    atoms.push(row);
  }
  return {
    format: 'dte-hypergraph-snapshot',
    version: 1,
    nextHandle: store.nextHandle,
    types: store.types.custom(),
    atoms,
  };
}

/**
 * Restores a snapshot into `into` (an empty store; a new `AtomSpace` by default).
 * Handles are kept exactly. Throws `DTE_ERR_HG_BAD_SNAPSHOT` on malformed data.
 */
export function fromSnapshot(snap: unknown, into?: HypergraphStore, opts?: AtomSpaceOptions): HypergraphStore {
  const s = snap as Snapshot;
  if (s === null || typeof s !== 'object' || s.format !== 'dte-hypergraph-snapshot' || s.version !== 1) {
    throw hgError('DTE_ERR_HG_BAD_SNAPSHOT', 'fromSnapshot', 'not a version-1 hypergraph snapshot');
  }
  if (!Array.isArray(s.atoms) || !Array.isArray(s.types) || !Number.isInteger(s.nextHandle)) {
    throw hgError('DTE_ERR_HG_BAD_SNAPSHOT', 'fromSnapshot', 'missing atoms, types or nextHandle');
  }
  const store = into ?? new AtomSpace(opts);
  if (store.size !== 0) throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'fromSnapshot', 'target store must be empty');
  for (const [name, parent] of s.types) store.types.define(name, parent);
  for (const row of s.atoms) {
    if (!Array.isArray(row) || row.length < 8) throw hgError('DTE_ERR_HG_BAD_SNAPSHOT', 'fromSnapshot', 'bad atom row');
    const [h, type, body, ts, tc, sti, lti, vlti, vals] = row;
    store.restoreAtom(h, type, body);
    if (ts !== 1 || tc !== 0) store.setTv(h, ts, tc);
    if (sti !== 0 || lti !== 0 || vlti !== 0) store.setAv(h, sti, lti, vlti);
    if (vals !== undefined) for (const [k, v] of Object.entries(vals)) store.setValue(h, k, decodeValue(v));
  }
  store.restoreNextHandle(s.nextHandle);
  return store;
}

/** Writes a snapshot atomically (temp file + rename): a crash leaves the old file or the new one. */
export function saveSnapshot(store: HypergraphStore, path: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(toSnapshot(store)));
  renameSync(tmp, path);
}

/** Reads a snapshot file written by `saveSnapshot` into a new store. */
export function loadSnapshot(path: string, opts?: AtomSpaceOptions): HypergraphStore {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT')
      throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'loadSnapshot', `no file ${path}`);
    throw hgError('DTE_ERR_HG_BAD_SNAPSHOT', 'loadSnapshot', 'not valid JSON');
  }
  return fromSnapshot(data, undefined, opts);
}
