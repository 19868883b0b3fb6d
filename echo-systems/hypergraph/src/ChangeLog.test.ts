import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { expectCode } from '../test/hypergraphSpec.ts';
import { AtomSpace } from './AtomSpace.ts';
import { ChangeLog, encodeRecord, readChangeLog, replayChangeLog } from './ChangeLog.ts';
import { crc32 } from './crc32.ts';
import { toSnapshot } from './snapshot.ts';

const dir = mkdtempSync(join(tmpdir(), 'hg-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function populate(s: AtomSpace): void {
  const a = s.addNode('ConceptNode', 'a', { tv: { strength: 0.3, confidence: 0.4 } });
  const b = s.addNode('ConceptNode', 'b');
  const l = s.addLink('ListLink', [a, b]);
  s.setAv(l, 12.5, 3, 1);
  s.setValue(b, 'emb', Float32Array.from([0.25, 1 / 3]));
  s.remove(s.addLink('SetLink', [a]));
  s.addNode('ConceptNode', 'last');
}

describe('ChangeLog', () => {
  it('crc32 matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('replays to an exact copy', () => {
    const path = join(dir, `a${n++}.log`);
    const s = new AtomSpace();
    const log = ChangeLog.open(path);
    log.attach(s);
    populate(s);
    log.close();
    const { store, applied, droppedBytes } = replayChangeLog(path, new AtomSpace());
    expect(droppedBytes).toBe(0);
    expect(applied).toBeGreaterThan(8);
    expect(toSnapshot(store)).toEqual(toSnapshot(s));
  });

  it('drops a torn last record at every cut point and keeps everything before it', () => {
    const path = join(dir, `b${n++}.log`);
    const s = new AtomSpace();
    const log = ChangeLog.open(path);
    log.attach(s);
    populate(s);
    const before = toSnapshot(s);
    s.addNode('ConceptNode', 'torn');
    log.close();
    const full = readFileSync(path);
    const lastLen = encodeRecord({ kind: 'added', handle: 6, type: 'ConceptNode', name: 'torn' }).length;
    for (let cut = 1; cut < lastLen; cut++) {
      const p = join(dir, `cut${n++}.log`);
      writeFileSync(p, full.subarray(0, full.length - cut));
      const r = replayChangeLog(p, new AtomSpace(), { repair: true });
      expect(r.droppedBytes).toBe(lastLen - cut);
      expect(toSnapshot(r.store)).toEqual(before);
      expect(statSync(p).size).toBe(full.length - lastLen);
      // After repair, appending resumes cleanly.
      const again = ChangeLog.open(p);
      again.append({ kind: 'added', handle: 6, type: 'ConceptNode', name: 'torn' });
      again.close();
      expect(readChangeLog(p).droppedBytes).toBe(0);
    }
  });

  it('drops a checksum-failing last record but rejects corruption before the tail', () => {
    const path = join(dir, `c${n++}.log`);
    const s = new AtomSpace();
    const log = ChangeLog.open(path);
    log.attach(s);
    populate(s);
    log.close();
    const buf = readFileSync(path);
    const tail = Buffer.from(buf);
    tail[tail.length - 2] = tail[tail.length - 2]! ^ 0xff;
    writeFileSync(path, tail);
    const r = readChangeLog(path);
    expect(r.droppedBytes).toBeGreaterThan(0);
    const mid = Buffer.from(buf);
    mid[20] = mid[20]! ^ 0xff;
    writeFileSync(path, mid);
    expectCode(() => readChangeLog(path), 'DTE_ERR_HG_LOG_CORRUPT');
    writeFileSync(path, 'garbage!!!!!!');
    expectCode(() => readChangeLog(path), 'DTE_ERR_HG_LOG_CORRUPT');
    writeFileSync(path, 'DTEH');
    expect(readChangeLog(path).changes).toEqual([]);
    truncateSync(path, 0);
    appendFileSync(path, '');
    expect(readChangeLog(path).changes).toEqual([]);
  });

  it('a checksummed record that is not a change: dropped at the tail, DTE_ERR_HG_LOG_CORRUPT before it', () => {
    const frame = (json: string) => {
      const payload = Buffer.from(json, 'utf8');
      const head = Buffer.alloc(8);
      head.writeUInt32LE(payload.length, 0);
      head.writeUInt32LE(crc32(payload), 4);
      return Buffer.concat([head, payload]);
    };
    const good = encodeRecord({ kind: 'added', handle: 1, type: 'ConceptNode', name: 'a' });
    for (const bad of ['{"x":1}', 'null', '[1,2]', '"added"', '{"kind":"added","handle":"1"}']) {
      const path = join(dir, `d${n++}.log`);
      writeFileSync(path, Buffer.concat([Buffer.from('DTEHGLOG1\n', 'latin1'), good, frame(bad)]));
      const r = readChangeLog(path);
      expect(r.changes).toHaveLength(1);
      expect(r.droppedBytes).toBe(frame(bad).length);
      appendFileSync(path, good);
      let err: unknown;
      try {
        readChangeLog(path);
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ code: 'DTE_ERR_HG_LOG_CORRUPT', name: 'HypergraphError' });
      expect((err as Error).message).toContain('not a change record');
    }
  });

  it('property: any sequence of operations replays exactly', () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant('node' as const), name: fc.string({ maxLength: 4 }) }),
      fc.record({ k: fc.constant('link' as const), a: fc.nat(), b: fc.nat() }),
      fc.record({
        k: fc.constant('av' as const),
        a: fc.nat(),
        sti: fc.double({ noNaN: true, noDefaultInfinity: true }),
      }),
      fc.record({ k: fc.constant('rm' as const), a: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const path = join(dir, `p${n++}.log`);
        const s = new AtomSpace();
        const log = ChangeLog.open(path);
        log.attach(s);
        for (const o of ops) {
          const hs = s.handles();
          const pick = (i: number) => hs[i % hs.length]!;
          if (o.k === 'node') s.addNode('ConceptNode', o.name);
          else if (hs.length === 0) continue;
          else if (o.k === 'link') s.addLink('ListLink', [pick(o.a), pick(o.b)]);
          else if (o.k === 'av') s.setAv(pick(o.a), Object.is(o.sti, -0) ? 0 : o.sti, 0, 0);
          else s.remove(pick(o.a), { recursive: true });
        }
        log.close();
        expect(toSnapshot(replayChangeLog(path, new AtomSpace()).store)).toEqual(toSnapshot(s));
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
