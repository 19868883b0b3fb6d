import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import type { Subscription } from 'rxjs';
import { crc32 } from './crc32.ts';
import { hgError } from './errors.ts';
import type { HypergraphStore } from './HypergraphStore.ts';
import type { AtomChange } from './types.ts';
import { decodeValue, encodeValue } from './valueCodec.ts';

/*
 * File layout: MAGIC, then records. Record = u32le payloadLength | u32le crc32(payload) | payload (UTF-8 JSON).
 * One record is written with one write() call; a crash can only tear the last record.
 */
const MAGIC = Buffer.from('DTEHGLOG1\n', 'latin1');
const HEADER = 8;

/** What reading a change log found. */
export interface ChangeLogRead {
  readonly changes: AtomChange[];
  /** Bytes of whole, valid records (including the magic). */
  readonly validBytes: number;
  /** Bytes of a torn or corrupt final record that were dropped (0 when the log is clean). */
  readonly droppedBytes: number;
}

/**
 * An append-only change log: length + CRC-32 framed JSON records, one per
 * `AtomChange`. Attach it to a store to record every change; replay it onto a
 * store restored from the matching snapshot.
 *
 * @example
 * ```ts
 * const log = ChangeLog.open('/tmp/mem.log');
 * log.attach(store);            // every change is appended
 * // ... after a crash:
 * const restored = replayChangeLog('/tmp/mem.log', new AtomSpace());
 * ```
 */
export class ChangeLog {
  private fd: number | undefined;
  private sub: Subscription | undefined;

  private constructor(
    fd: number,
    private readonly fsync: boolean,
  ) {
    this.fd = fd;
  }

  /** Opens (creating if needed) a log for appending; `fsync` syncs after every record. */
  static open(path: string, opts: { readonly fsync?: boolean; readonly truncate?: boolean } = {}): ChangeLog {
    const fresh = opts.truncate === true || !existsSync(path);
    const fd = openSync(path, fresh ? 'w' : 'a');
    if (fresh) writeSync(fd, MAGIC);
    return new ChangeLog(fd, opts.fsync === true);
  }

  /** Records every subsequent change of `store`. */
  attach(store: HypergraphStore): void {
    this.sub?.unsubscribe();
    this.sub = store.changes$.subscribe((c) => this.append(c));
  }

  /** Appends one change as one framed record. */
  append(change: AtomChange): void {
    if (this.fd === undefined) throw hgError('DTE_ERR_HG_BAD_ARGUMENT', 'ChangeLog.append', 'log is closed');
    writeSync(this.fd, encodeRecord(change));
    if (this.fsync) fsyncSync(this.fd);
  }

  /** Stops recording and closes the file. */
  close(): void {
    this.sub?.unsubscribe();
    this.sub = undefined;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Frames one change: length, checksum, JSON payload. */
export function encodeRecord(change: AtomChange): Buffer {
  const body =
    change.kind === 'value' && change.value !== undefined ? { ...change, value: encodeValue(change.value) } : change;
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  const rec = Buffer.allocUnsafe(HEADER + payload.length);
  rec.writeUInt32LE(payload.length, 0);
  rec.writeUInt32LE(crc32(payload), 4);
  payload.copy(rec, HEADER);
  return rec;
}

/**
 * Reads a change log. A torn or checksum-failing *last* record is dropped
 * (`droppedBytes`); a bad record followed by more data is corruption, not a
 * crash, and throws `DTE_ERR_HG_LOG_CORRUPT`.
 */
export function readChangeLog(path: string): ChangeLogRead {
  const buf = readFileSync(path);
  if (buf.length < MAGIC.length) {
    if (MAGIC.subarray(0, buf.length).equals(buf)) return { changes: [], validBytes: 0, droppedBytes: buf.length };
    throw hgError('DTE_ERR_HG_LOG_CORRUPT', 'readChangeLog', 0, 'bad magic');
  }
  if (!buf.subarray(0, MAGIC.length).equals(MAGIC))
    throw hgError('DTE_ERR_HG_LOG_CORRUPT', 'readChangeLog', 0, 'bad magic');
  const changes: AtomChange[] = [];
  let off = MAGIC.length;
  while (off < buf.length) {
    if (off + HEADER > buf.length) return { changes, validBytes: off, droppedBytes: buf.length - off };
    const len = buf.readUInt32LE(off);
    const sum = buf.readUInt32LE(off + 4);
    const end = off + HEADER + len;
    if (end > buf.length) return { changes, validBytes: off, droppedBytes: buf.length - off };
    const payload = buf.subarray(off + HEADER, end);
    let change: AtomChange | undefined;
    const intact = crc32(payload) === sum;
    if (intact) {
      try {
        change = decodeChange(JSON.parse(payload.toString('utf8')));
      } catch {
        change = undefined;
      }
    }
    if (change === undefined) {
      if (end === buf.length) return { changes, validBytes: off, droppedBytes: buf.length - off };
      throw hgError(
        'DTE_ERR_HG_LOG_CORRUPT',
        'readChangeLog',
        off,
        intact ? 'not a change record' : 'checksum mismatch',
      );
    }
    changes.push(change);
    off = end;
  }
  return { changes, validBytes: off, droppedBytes: 0 };
}

/** The change a record's JSON holds, or undefined when it is not one. */
function decodeChange(json: unknown): AtomChange | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  if (typeof o.kind !== 'string' || typeof o.handle !== 'number') return undefined;
  if (o.kind === 'value' && o.value !== undefined) return { ...o, value: decodeValue(o.value) } as AtomChange;
  return o as unknown as AtomChange;
}

/** Applies one logged change to a store. */
export function applyChange(store: HypergraphStore, c: AtomChange): void {
  switch (c.kind) {
    case 'added':
      if (c.outgoing !== undefined) store.restoreAtom(c.handle, c.type, c.outgoing);
      else store.restoreAtom(c.handle, c.type, c.name ?? '');
      break;
    case 'removed':
      if (store.has(c.handle)) store.remove(c.handle, { recursive: true });
      break;
    case 'tv':
      store.setTv(c.handle, c.strength, c.confidence);
      break;
    case 'av':
      store.setAv(c.handle, c.sti, c.lti, c.vlti);
      break;
    case 'value':
      store.setValue(c.handle, c.key, c.value);
      break;
  }
}

/**
 * Replays a log onto `store` (fresh, or restored from the snapshot the log
 * continues). With `repair`, a torn tail is truncated away so appending can resume.
 */
export function replayChangeLog<S extends HypergraphStore>(
  path: string,
  store: S,
  opts: { readonly repair?: boolean } = {},
): { store: S; applied: number; droppedBytes: number } {
  const r = readChangeLog(path);
  for (const c of r.changes) applyChange(store, c);
  if (opts.repair === true && r.droppedBytes > 0) {
    if (r.validBytes < MAGIC.length) writeFileSync(path, MAGIC);
    else truncateSync(path, r.validBytes);
  }
  return { store, applied: r.changes.length, droppedBytes: r.droppedBytes };
}
