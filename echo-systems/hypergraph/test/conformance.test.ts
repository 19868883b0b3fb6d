import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import {
  AtomSpace,
  ChangeLog,
  GraphologyAtomSpace,
  loadSnapshot,
  replayChangeLog,
  saveSnapshot,
} from '../src/index.ts';
import { hypergraphSpec } from './hypergraphSpec.ts';

const dir = mkdtempSync(join(tmpdir(), 'hg-conf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

hypergraphSpec('AtomSpace (lazy graphology index)', () => new AtomSpace());
hypergraphSpec('AtomSpace (eager graphology index)', () => new AtomSpace({ graphIndex: 'eager' }));
hypergraphSpec('GraphologyAtomSpace (graphology as primary storage)', () => new GraphologyAtomSpace());
hypergraphSpec('GraphologyAtomSpace replayed from a change log', () => {
  const path = join(dir, `g${n++}.log`);
  const seed = new AtomSpace();
  const log = ChangeLog.open(path);
  log.attach(seed);
  seed.remove(seed.addNode('ConceptNode', 'seed'));
  log.close();
  return replayChangeLog(path, new GraphologyAtomSpace()).store;
});
hypergraphSpec('AtomSpace restored from a snapshot file', () => {
  const path = join(dir, `s${n++}.json`);
  const seed = new AtomSpace();
  seed.remove(seed.addNode('ConceptNode', 'seed'));
  saveSnapshot(seed, path);
  return loadSnapshot(path);
});
hypergraphSpec('AtomSpace replayed from a change log', () => {
  const path = join(dir, `l${n++}.log`);
  const seed = new AtomSpace();
  const log = ChangeLog.open(path);
  log.attach(seed);
  seed.remove(seed.addNode('ConceptNode', 'seed'));
  log.close();
  return replayChangeLog(path, new AtomSpace({ graphIndex: 'eager' })).store;
});
