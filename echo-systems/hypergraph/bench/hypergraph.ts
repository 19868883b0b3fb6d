/**
 * bench:hypergraph — store throughput on a 1M-atom AtomSpace and one ECAN tick at 100k atoms.
 * Anchor: OpenCog's C++ AtomSpace on an i5-13500 (addNode 1.87M/s, addLink 365-516K/s,
 * getIncomingSet 15M/s); target: at least half of each. Prints a table, then one JSON line.
 */

import { loadavg } from 'node:os';
import { Ecan } from '@dte/ecan';
import { createPrng } from '@dte/echo-kit';
import { AtomSpace, GraphologyAtomSpace, matchPattern } from '@dte/hypergraph';

const NODES = Number(process.env.HG_BENCH_NODES ?? 500_000);
const LINKS = Number(process.env.HG_BENCH_LINKS ?? 500_000);
const RUNS = Number(process.env.HG_BENCH_RUNS ?? 5);
const ANCHOR = { addNode: 1_870_000, addLinkLow: 365_000, addLinkHigh: 516_000, incoming: 15_000_000 };

const loadBefore = loadavg()[0]!;
/** Process CPU time in ms (user + system): less sensitive than wall time to other processes on a shared box. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const best = (xs: number[]) => Math.max(...xs);
const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

function buildStore(rng: ReturnType<typeof createPrng>, names: string[], pairs: Int32Array) {
  const as = new AtomSpace({ capacity: 1 << 20 });
  let t = performance.now();
  let c = cpuMs();
  for (let i = 0; i < NODES; i++) as.addNode('ConceptNode', names[i]!);
  const nodeMs = performance.now() - t;
  const nodeCpu = cpuMs() - c;
  t = performance.now();
  c = cpuMs();
  for (let i = 0; i < LINKS; i++) as.addLink('InheritanceLink', [pairs[2 * i]!, pairs[2 * i + 1]!]);
  const linkMs = performance.now() - t;
  const linkCpu = cpuMs() - c;
  void rng;
  return {
    as,
    nodeRate: (NODES / nodeMs) * 1000,
    linkRate: (LINKS / linkMs) * 1000,
    nodeCpuRate: (NODES / nodeCpu) * 1000,
    linkCpuRate: (LINKS / linkCpu) * 1000,
  };
}

const rng = createPrng(2026);
const names = Array.from({ length: NODES }, (_, i) => `concept-${i}`);
const pairs = new Int32Array(2 * LINKS);
for (let i = 0; i < LINKS; i++) {
  // Distinct (a, b) pairs: a walks the nodes, b is a seeded random other node.
  const a = 1 + (i % NODES);
  let b = 1 + rng.nextInt(NODES);
  if (b === a) b = (b % NODES) + 1;
  pairs[2 * i] = a;
  pairs[2 * i + 1] = b;
}

const nodeRates: number[] = [];
const linkRates: number[] = [];
const nodeCpuRates: number[] = [];
const linkCpuRates: number[] = [];
let store: AtomSpace | undefined;
for (let r = 0; r < RUNS; r++) {
  store = undefined;
  const b = buildStore(rng, names, pairs);
  nodeRates.push(b.nodeRate);
  linkRates.push(b.linkRate);
  nodeCpuRates.push(b.nodeCpuRate);
  linkCpuRates.push(b.linkCpuRate);
  store = b.as;
}
const as = store!;
const atoms = as.size;

// Incoming-set reads on random atoms (a read-only view, no copy).
const READS = 5_000_000;
const idx = new Int32Array(READS);
for (let i = 0; i < READS; i++) idx[i] = 1 + rng.nextInt(NODES);
const incRates: number[] = [];
const incCpuRates: number[] = [];
let sink = 0;
for (let r = 0; r < RUNS; r++) {
  const t = performance.now();
  const c = cpuMs();
  for (let i = 0; i < READS; i++) sink += as.incomingOf(idx[i]!).length;
  incRates.push((READS / (performance.now() - t)) * 1000);
  incCpuRates.push((READS / (cpuMs() - c)) * 1000);
}
// Copying reads (what OpenCog's getIncomingSet returns) for comparison.
const t0 = performance.now();
for (let i = 0; i < 1_000_000; i++) sink += as.incomingOf(idx[i]!).slice().length;
const incCopyRate = (1_000_000 / (performance.now() - t0)) * 1000;

// Pattern queries: (InheritanceLink $X:ConceptNode (ConceptNode "concept-i")).
const QUERIES = 100_000;
const qRates: number[] = [];
const qCpuRates: number[] = [];
for (let r = 0; r < RUNS; r++) {
  const t = performance.now();
  const c = cpuMs();
  for (let i = 0; i < QUERIES; i++) {
    const res = matchPattern(as, {
      vars: { $X: 'ConceptNode' },
      where: { link: 'InheritanceLink', out: [{ var: '$X' }, { node: 'ConceptNode', name: names[idx[i]! - 1]! }] },
    });
    sink += res.length;
  }
  qRates.push((QUERIES / (performance.now() - t)) * 1000);
  qCpuRates.push((QUERIES / (cpuMs() - c)) * 1000);
}

// Graph index trade-off at 100k atoms: lazy rebuild cost vs eager add cost.
const small = new AtomSpace();
const eager = new AtomSpace({ graphIndex: 'eager' });
let t = performance.now();
for (let i = 0; i < 50_000; i++) small.addNode('ConceptNode', names[i]!);
for (let i = 0; i < 50_000; i++) small.addLink('ListLink', [1 + i, 1 + ((i * 7919 + 1) % 50_000)]);
const lazyAddMs = performance.now() - t;
t = performance.now();
const g = small.graph();
const graphBuildMs = performance.now() - t;
t = performance.now();
for (let i = 0; i < 50_000; i++) eager.addNode('ConceptNode', names[i]!);
for (let i = 0; i < 50_000; i++) eager.addLink('ListLink', [1 + i, 1 + ((i * 7919 + 1) % 50_000)]);
const eagerAddMs = performance.now() - t;
sink += g.order;
// In-run peer: the same 100k adds on GraphologyAtomSpace (graphology as primary storage).
const ref = new GraphologyAtomSpace();
t = performance.now();
for (let i = 0; i < 50_000; i++) ref.addNode('ConceptNode', names[i]!);
for (let i = 0; i < 50_000; i++) ref.addLink('ListLink', [1 + i, 1 + ((i * 7919 + 1) % 50_000)]);
const graphologyAddMs = performance.now() - t;

// ECAN: one tick at 100k atoms (50k nodes + 50k links). Funds start near the target so rent is
// charged (far above target OpenCog's rent formula charges nothing); 1000 atoms stimulated up front,
// 50 more before each tick; 5 warm-up ticks, then the median of 15. Forgetting holds the store at
// 100k atoms (OpenCog's ForgettingAgent role), so each tick pays for the Hebbian links that focus
// churn creates and for forgetting as many low-LTI atoms.
const ecanStore = new AtomSpace({ capacity: 1 << 18 });
for (let i = 0; i < 50_000; i++) ecanStore.addNode('ConceptNode', names[i]!);
for (let i = 0; i < 50_000; i++) ecanStore.addLink('InheritanceLink', [1 + i, 1 + ((i * 31 + 7) % 50_000)]);
const ecan = new Ecan(ecanStore, {
  seed: 7,
  params: { forgetMaxAtoms: 100_000, forgetSizeSpread: 100, startingFundsSti: 30_000, startingFundsLti: 30_000 },
});
for (let i = 0; i < 1000; i++) ecan.stimulate(1 + rng.nextInt(50_000), 1 + rng.nextInt(5));
const tickMs: number[] = [];
const atomsAtTick: number[] = [];
let hebbianPerTick = 0;
let forgottenPerTick = 0;
for (let k = 0; k < 20; k++) {
  for (let i = 0; i < 50; i++) {
    const h = 1 + rng.nextInt(50_000);
    if (ecanStore.has(h)) ecan.stimulate(h, 1 + rng.nextInt(5));
  }
  const tt = performance.now();
  const rep = ecan.tick();
  atomsAtTick.push(ecanStore.size);
  if (k >= 5) {
    tickMs.push(performance.now() - tt);
    hebbianPerTick += rep.hebbianCreated / 15;
    forgottenPerTick += rep.forgotten / 15;
  }
}
const ecanAtoms = median(atomsAtTick.slice(5));

const r = {
  atoms,
  addNode_per_s: Math.round(median(nodeRates)),
  addLink_per_s: Math.round(median(linkRates)),
  addNode_best_per_s: Math.round(best(nodeRates)),
  addLink_best_per_s: Math.round(best(linkRates)),
  incoming_best_per_s: Math.round(best(incRates)),
  query_best_per_s: Math.round(best(qRates)),
  incoming_per_s: Math.round(median(incRates)),
  addNode_per_cpu_s: Math.round(median(nodeCpuRates)),
  addLink_per_cpu_s: Math.round(median(linkCpuRates)),
  incoming_per_cpu_s: Math.round(median(incCpuRates)),
  query_per_cpu_s: Math.round(median(qCpuRates)),
  incoming_copy_per_s: Math.round(incCopyRate),
  query_per_s: Math.round(median(qRates)),
  ecan_tick_ms_100k: Number(median(tickMs).toFixed(2)),
  ecan_atoms: ecanAtoms,
  ecan_hebbian_links_per_tick: Math.round(hebbianPerTick),
  ecan_forgotten_per_tick: Math.round(forgottenPerTick),
  lazy_add_ms_100k: Number(lazyAddMs.toFixed(1)),
  eager_add_ms_100k: Number(eagerAddMs.toFixed(1)),
  graph_build_ms_100k: Number(graphBuildMs.toFixed(1)),
  graphology_store_add_ms_100k: Number(graphologyAddMs.toFixed(1)),
  ratio_vs_graphology_store_100k: Number((graphologyAddMs / lazyAddMs).toFixed(2)),
  load_avg_1m: [Number(loadBefore.toFixed(2)), Number(loadavg()[0]!.toFixed(2))],
  ratio_addNode_vs_anchor: Number((median(nodeRates) / ANCHOR.addNode).toFixed(3)),
  ratio_addLink_vs_anchor_low: Number((median(linkRates) / ANCHOR.addLinkLow).toFixed(3)),
  ratio_addLink_vs_anchor_high: Number((median(linkRates) / ANCHOR.addLinkHigh).toFixed(3)),
  ratio_incoming_vs_anchor: Number((median(incRates) / ANCHOR.incoming).toFixed(3)),
  runs: RUNS,
};

const row = (k: string, v: string, anchor: string) => console.log(`${k.padEnd(34)}${v.padStart(26)}   ${anchor}`);
console.log(
  `hypergraph bench: ${atoms} atoms (${NODES} ConceptNodes + ${LINKS} InheritanceLinks), median (best) of ${RUNS}; ` +
    `1-min load average ${r.load_avg_1m.join(' -> ')} (noisy when high)`,
);
row('metric', 'ours', 'OpenCog C++ anchor (i5-13500)');
row(
  'addNode /s',
  `${r.addNode_per_s.toLocaleString('en')} (${r.addNode_best_per_s.toLocaleString('en')})`,
  `1.87M  (ratio ${r.ratio_addNode_vs_anchor})`,
);
row(
  'addLink /s',
  `${r.addLink_per_s.toLocaleString('en')} (${r.addLink_best_per_s.toLocaleString('en')})`,
  `365-516K (ratio ${r.ratio_addLink_vs_anchor_low}-${r.ratio_addLink_vs_anchor_high})`,
);
row(
  'incoming-set reads /s (view)',
  `${r.incoming_per_s.toLocaleString('en')} (${r.incoming_best_per_s.toLocaleString('en')})`,
  `15M  (ratio ${r.ratio_incoming_vs_anchor})`,
);
row(
  'per CPU-second (node/link/inc/query)',
  '',
  [r.addNode_per_cpu_s, r.addLink_per_cpu_s, r.incoming_per_cpu_s, r.query_per_cpu_s]
    .map((x) => x.toLocaleString('en'))
    .join(' / '),
);
row('incoming-set reads /s (copy)', r.incoming_copy_per_s.toLocaleString('en'), '');
row(
  'pattern queries /s',
  `${r.query_per_s.toLocaleString('en')} (${r.query_best_per_s.toLocaleString('en')})`,
  '(Inheritance $X concept-i)',
);
row(
  'ECAN tick ms @100k atoms',
  String(r.ecan_tick_ms_100k),
  `median of 15 ticks, ${ecanAtoms} atoms; per tick ~${r.ecan_hebbian_links_per_tick} Hebbian links made, ~${r.ecan_forgotten_per_tick} atoms forgotten`,
);
row('100k adds, lazy graph index ms', String(r.lazy_add_ms_100k), `+ ${r.graph_build_ms_100k} ms to build graph()`);
row('100k adds, eager graph index ms', String(r.eager_add_ms_100k), '');
row(
  '100k adds, GraphologyAtomSpace ms',
  String(r.graphology_store_add_ms_100k),
  `in-run peer (graphology as primary storage): ${r.ratio_vs_graphology_store_100k}x the lazy AtomSpace time`,
);
if (sink === -1) console.log('');
console.log(JSON.stringify(r));
