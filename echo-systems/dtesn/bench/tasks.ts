/**
 * The benchmark's tasks, kept apart from the runner so each is a plain function
 * of its hyper-parameters (ReservoirPy conventions: series scaled to [−1, 1],
 * one-step-ahead targets, Ridge with a bias column, washout).
 */
import {
  DeepEsn,
  type DeepEsnLayer,
  Esn,
  type EsnOptions,
  freeRun,
  mackeyGlass,
  memoryCapacity,
  narma,
  nmse,
  nrmse,
  RidgeReadout,
  rmse,
} from '@dte/dtesn';

function scaled(x: Float64Array): { x: Float64Array; span: number } {
  let mn = Number.POSITIVE_INFINITY;
  let mx = Number.NEGATIVE_INFINITY;
  for (const v of x) {
    mn = Math.min(mn, v);
    mx = Math.max(mx, v);
  }
  return { x: x.map((v) => (2 * (v - mn)) / (mx - mn) - 1), span: mx - mn };
}

type Reservoir = Omit<EsnOptions, 'inputDim' | 'seed'>;

/** Mackey-Glass one-step prediction: returns RMSE (original units) and NRMSE (by std). */
export function mgOneStep(res: Reservoir, ridge: number, seed: number, train = 1500, test = 500) {
  const { x, span } = scaled(mackeyGlass(train + test + 1, { seed }));
  const esn = new Esn({ ...res, inputDim: 1, seed });
  const n = esn.units;
  const states = esn.run(x.subarray(0, train + test));
  const ro = new RidgeReadout(n, 1, ridge).fitBatch(states.subarray(0, train * n), x.slice(1, train + 1), 100);
  const p = ro.predictBatch(states.subarray(train * n));
  const target = x.subarray(train + 1);
  return { rmse: (rmse(target, p) * span) / 2, nrmse: nrmse(target, p) };
}

/**
 * Mackey-Glass free run: teacher-forced training, then from `starts` points in the
 * test range the ESN runs 84 steps on its own predictions. NRMSE over the 84 steps
 * (by the series' std), median over the starts.
 */
export function mgFreeRun(res: Reservoir, ridge: number, seed: number, train = 4000, horizon = 84, starts = 5) {
  const { x } = scaled(mackeyGlass(train + 300 * starts + horizon + 1, { seed }));
  const esn = new Esn({ ...res, inputDim: 1, seed });
  const n = esn.units;
  const states = esn.run(x.subarray(0, train));
  const ro = new RidgeReadout(n, 1, ridge).fitBatch(states, x.slice(1, train + 1), 200);
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let variance = 0;
  for (const v of x) variance += (v - mean) ** 2;
  const std = Math.sqrt(variance / x.length);
  const saved = Float64Array.from(esn.state);
  const errors: number[] = [];
  const input = new Float64Array(1);
  for (let k = 0; k < starts; k++) {
    const start = train + 300 * k;
    esn.reset(saved);
    for (let t = train; t < start; t++) esn.step(x, t);
    input[0] = x[start]!;
    const future = freeRun(esn, ro, input, horizon);
    let se = 0;
    for (let h = 1; h <= horizon; h++) se += (future[h - 1]! - x[start + h]!) ** 2;
    errors.push(Math.sqrt(se / horizon) / std);
  }
  return median(errors);
}

/**
 * NARMA-10 NMSE (MSE / variance of the target) on held-out steps. With `quadratic`
 * the readout sees [x, x², x_i·x_σ1(i), x_i·x_σ2(i), u] (σk fixed index maps: 2N pair
 * products), a generic polynomial readout; otherwise [x, u].
 */
export function narma10(res: Reservoir, ridge: number, seed: number, quadratic: boolean, train = 6000, test = 2000) {
  const total = train + test;
  const { u, y } = narma(total, 10, seed);
  const esn = new Esn({ ...res, inputDim: 1, seed });
  const n = esn.units;
  const states = esn.run(u);
  const f = (quadratic ? 4 * n : n) + 1;
  const feats = new Float64Array(total * f);
  for (let t = 0; t < total; t++) {
    const row = t * f;
    const st = t * n;
    for (let i = 0; i < n; i++) {
      const v = states[st + i]!;
      feats[row + i] = v;
      if (quadratic) {
        feats[row + n + i] = v * v;
        feats[row + 2 * n + i] = v * states[st + ((i * 7 + 13) % n)]!;
        feats[row + 3 * n + i] = v * states[st + ((i * 11 + 26) % n)]!;
      }
    }
    feats[row + f - 1] = u[t]!;
  }
  const ro = new RidgeReadout(f, 1, ridge);
  ro.partialFit(feats.subarray(0, train * f), y.subarray(0, train), 200).fit();
  return nmse(y.subarray(train), ro.predictBatch(feats.subarray(train * f)));
}

/** Memory capacity of a single ESN. */
export function mcEsn(res: Reservoir, seed: number) {
  return memoryCapacity(new Esn({ ...res, inputDim: 1, seed }), { seed, ridge: 1e-10 }).total;
}

/** Memory capacity of a deep ESN (readout over every layer). */
export function mcDeep(layers: DeepEsnLayer[], seed: number) {
  return memoryCapacity(new DeepEsn(1, layers, seed), { seed, ridge: 1e-10 }).total;
}

/**
 * ESN steps per second over `steps` steps of a scalar input: wall-clock median and
 * best of `repeats`, and the median per CPU-second of this process (what a quiet
 * machine would show when other processes hold the cores).
 */
export function esnStepsPerSecond(res: Reservoir, steps: number, repeats = 7) {
  const esn = new Esn({ ...res, inputDim: 1, seed: 1 });
  const u = Float64Array.from({ length: steps }, (_, t) => Math.sin(t / 5));
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let t = 0; t < steps; t++) esn.step(u, t);
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    rates.push(steps / wall);
    cpuRates.push(steps / ((cpu.user + cpu.system) / 1e6));
  }
  return { median: median(rates), best: Math.max(...rates), cpu: median(cpuRates) };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
