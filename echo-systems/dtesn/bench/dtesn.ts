/**
 * `npm run bench:dtesn` — reservoir quality and speed next to ReservoirPy 0.4's
 * anchors (measured on this kind of machine), plus the DTESN tick latency.
 * Options: `--quick` (fewer seeds). Last line: one JSON object.
 */
import { cpus, loadavg } from 'node:os';
import { MembraneReservoirTree } from '@dte/dtesn';
import { esnStepsPerSecond, mcDeep, mcEsn, median, mgFreeRun, mgOneStep, narma10 } from './tasks.ts';

const quick = process.argv.includes('--quick');
const loadAtStart = loadavg()[0]!;
const seeds = quick ? [0, 1] : [0, 1, 2, 3, 4];
const rows: [string, string, string, string][] = [];
const t0 = performance.now();
const log = (msg: string): void => {
  process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(0)}s] ${msg}\n`);
};

// 1. Mackey-Glass one-step, N = 100, sr 1.25, lr 0.3, ridge 1e-5 (the anchor's setup).
log('mackey-glass one-step');
const mg = seeds.map((s) =>
  mgOneStep({ units: 100, spectralRadius: 1.25, leakRate: 0.3, inputConnectivity: 1, biasScaling: 1 }, 1e-5, s),
);
const mgNrmse = median(mg.map((r) => r.nrmse));
const mgRmse = median(mg.map((r) => r.rmse));
rows.push(['MG one-step RMSE (N=100)', mgRmse.toExponential(2), '≈ 2.0e-3', mgRmse <= 2e-3 ? 'yes' : 'no']);
rows.push([
  `MG one-step NRMSE/std (median of ${seeds.length})`,
  `${mgNrmse.toExponential(2)} [${Math.min(...mg.map((r) => r.nrmse)).toExponential(1)}–${Math.max(...mg.map((r) => r.nrmse)).toExponential(1)}]`,
  '0.008–0.013',
  mgNrmse <= 0.008 ? 'yes' : mgNrmse <= 0.013 ? 'in range' : 'no',
]);

// 2. Mackey-Glass 84-step free run, N = 1000.
log('mackey-glass free run (N=1000)');
const fr = median(
  (quick ? [1] : [1, 2, 3]).map((s) =>
    mgFreeRun({ units: 1000, spectralRadius: 1.25, leakRate: 0.3, inputConnectivity: 1 }, 1e-10, s),
  ),
);
rows.push(['MG 84-step free-run NRMSE (N=1000)', fr.toExponential(2), '≈ 5e-4', fr <= 5e-4 ? 'yes' : 'no']);

// 3. NARMA-10: polynomial readout [x, x², x_i·x_σ1(i), x_i·x_σ2(i), u]; the plain linear readout [x, u] beside it.
log('narma-10');
const narma100Res = { units: 100, spectralRadius: 1.0, inputScaling: 0.05, biasScaling: 0.1, inputConnectivity: 1 };
const n100 = median(seeds.map((s) => narma10(narma100Res, 1e-7, s + 1, true)));
const n100Linear = median(seeds.map((s) => narma10(narma100Res, 1e-7, s + 1, false)));
rows.push([
  'NARMA-10 NMSE (N=100)',
  n100.toFixed(4),
  '0.06–0.09',
  n100 <= 0.06 ? 'yes' : n100 <= 0.09 ? 'in range' : 'no',
]);
rows.push([
  '  … same reservoir, linear readout',
  n100Linear.toFixed(4),
  '0.06–0.09',
  n100Linear <= 0.06 ? 'yes' : 'no',
]);
log('narma-10 (N=500)');
const narma500Res = {
  units: 500,
  spectralRadius: 1.0,
  inputScaling: 0.03,
  biasScaling: 0.1,
  inputConnectivity: 1,
  connectivity: 0.02,
};
const n500Seeds = quick ? [1] : [1, 2];
const n500 = median(n500Seeds.map((s) => narma10(narma500Res, 1e-7, s, true)));
rows.push([
  `NARMA-10 NMSE (N=500, ${n500Seeds.length} seed${n500Seeds.length > 1 ? 's' : ''})`,
  n500.toFixed(4),
  '0.004–0.006',
  n500 <= 0.004 ? 'yes' : n500 <= 0.006 ? 'in range' : 'no',
]);
const n500Linear = narma10(narma500Res, 1e-7, 1, false);
rows.push([
  '  … same reservoir, linear readout',
  n500Linear.toFixed(4),
  '0.004–0.006',
  n500Linear <= 0.006 ? 'yes' : 'no',
]);

// 4. Memory capacity.
log('memory capacity');
const mcRes = { spectralRadius: 1.0, inputScaling: 0.02, biasScaling: 0, inputConnectivity: 1 };
const mc100 = median(seeds.map((s) => mcEsn({ ...mcRes, units: 100 }, s + 3)));
rows.push([
  'Memory capacity (N=100)',
  mc100.toFixed(1),
  '29–34',
  mc100 >= 34 ? 'yes' : mc100 >= 29 ? 'in range' : 'no',
]);
const deepLayers = Array.from({ length: 5 }, (_, l) => ({
  units: 20,
  spectralRadius: l === 0 ? 0.9 : 0.95,
  inputScaling: l === 0 ? 0.02 : 0.1,
  biasScaling: 0,
  inputConnectivity: 1,
  connectivity: 0.5,
}));
const mcDeepV = median(seeds.map((s) => mcDeep(deepLayers, s + 3)));
rows.push(['Memory capacity deep ESN 5×20', mcDeepV.toFixed(1), '≈ 38.6', mcDeepV >= 38.6 ? 'yes' : 'no']);

// 5. Speed (ReservoirPy defaults: connectivity 0.1, one input).
log('speed');
const sps100 = esnStepsPerSecond({ units: 100, spectralRadius: 0.9, leakRate: 0.3 }, 50_000);
const sps1000 = esnStepsPerSecond({ units: 1000, spectralRadius: 0.9, leakRate: 0.3 }, 4_000);
const fmt = (r: { median: number; best: number; cpu: number }): string =>
  `${Math.round(r.median).toLocaleString('en')} [${Math.round(r.best).toLocaleString('en')}; ${Math.round(r.cpu).toLocaleString('en')}/cpu-s]`;
rows.push([
  'ESN steps/s (N=100), median [best; per CPU-s]',
  fmt(sps100),
  '≈ 33K (target ≥ 100K)',
  sps100.median >= 100_000 ? 'yes' : 'no',
]);
rows.push([
  'ESN steps/s (N=1000), median [best; per CPU-s]',
  fmt(sps1000),
  '≈ 4.7K',
  sps1000.median >= 4700 ? 'yes' : 'no',
]);

// 6. DTESN tick latency: 9 membranes × 100 units, 8 sensors, 4 reflex actions, one agent.
log('dtesn tick');
const tree = new MembraneReservoirTree({ sensorDim: 8, numActions: 4, membranes: 9, units: 100, seed: 1 });
const sense = (t: number): number[] => Array.from({ length: 8 }, (_, j) => Math.sin(t / (3 + j)));
for (let t = 0; t < 200; t++) tree.tick(sense(t), { learn: false });
const inferUs: number[] = [];
for (let t = 200; t < 2200; t++) {
  const s = sense(t);
  const a = performance.now();
  tree.tick(s, { learn: false });
  inferUs.push((performance.now() - a) * 1000);
}
const learnStart = performance.now();
const learnTicks = 1000;
for (let t = 0; t < learnTicks; t++) tree.tick(sense(t), { lastAction: t % 4 });
const learnUs = ((performance.now() - learnStart) * 1000) / learnTicks;
const tickUs = median(inferUs);
rows.push(['DTESN tick µs (9×100, inference)', tickUs.toFixed(1), '—', '—']);
rows.push(['DTESN tick µs (learning, refit/250, amortised)', learnUs.toFixed(0), '—', '—']);

const w = [Math.max(...rows.map((r) => r[0].length)), 34, 22, 8];
const line = (r: string[]): string => r.map((c, i) => c.padEnd(w[i]!)).join(' | ');
console.log(
  `DTESN benchmark — ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load ${loadAtStart.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}${quick ? ' (quick)' : ''}`,
);
console.log(line(['figure', 'ours', 'ReservoirPy 0.4 anchor', 'as good']));
console.log(w.map((n) => '-'.repeat(n)).join('-|-'));
for (const r of rows) console.log(line(r));
console.log(
  JSON.stringify({
    mg_onestep_rmse: mgRmse,
    mg_onestep_nrmse: mgNrmse,
    mg_freerun84_nrmse: fr,
    narma10_nmse_n100: n100,
    narma10_nmse_n500: n500,
    narma10_nmse_n100_linear: n100Linear,
    narma10_nmse_n500_linear: n500Linear,
    mc_n100: mc100,
    mc_deep_5x20: mcDeepV,
    esn_steps_per_s_n100: Math.round(sps100.median),
    esn_steps_per_s_n1000: Math.round(sps1000.median),
    esn_steps_per_s_n100_best: Math.round(sps100.best),
    esn_steps_per_s_n1000_best: Math.round(sps1000.best),
    esn_steps_per_cpu_s_n100: Math.round(sps100.cpu),
    esn_steps_per_cpu_s_n1000: Math.round(sps1000.cpu),
    load_average_1m: loadavg()[0],
    dtesn_tick_us: tickUs,
    dtesn_tick_learning_us: learnUs,
    seconds: (performance.now() - t0) / 1000,
  }),
);
