// bench:ablation — what each echo system buys. The same seeds run every variant of the mind in the
// oases world with more agents than the engine can answer per tick (saturated), on the paced clock by
// default (a tick lasts `--steps-per-tick` engine steps: equal compute for every variant, reproducible)
// or `--clock realtime` (a tick lasts `--tick-ms` of wall clock). Prints a table of mean reward,
// survival and the share of needy agents answered in time (each with a 95% CI over seeds), then paired
// deltas (full − variant) and, as the last line, one JSON object.
//   npm run bench:ablation [-- --seeds 1,2,…,8 --agents 32 --ticks 300 --clock paced|realtime
//                              --steps-per-tick 1 --tick-ms 100 --model M.gguf --variants no_memory,…]
import { parseArgs } from 'node:util';
import { ECHO_VARIANTS, type EchoVariant, runAblation } from '../src/index.ts';
import { benchModel } from './benchSupport.ts';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1,2,3,4,5,6,7,8' },
    agents: { type: 'string', default: '32' },
    ticks: { type: 'string', default: '300' },
    clock: { type: 'string', default: 'paced' },
    'steps-per-tick': { type: 'string', default: '1' },
    'tick-ms': { type: 'string', default: '100' },
    model: { type: 'string' },
    variants: { type: 'string', default: ECHO_VARIANTS.filter((v) => v !== 'teacher' && v !== 'full').join(',') },
  },
});
const seeds = values.seeds!.split(',').map(Number);
const clock = values.clock as 'paced' | 'realtime';
if (clock !== 'paced' && clock !== 'realtime') throw new Error('bench:ablation: --clock paced or realtime');
const variants = values.variants!.split(',') as EchoVariant[];
const model = benchModel(values.model);
const agents = Number(values.agents);
const ticks = Number(values.ticks);
const stepsPerTick = Number(values['steps-per-tick']);
const tickMs = Number(values['tick-ms']);
console.log(
  `bench:ablation — ${agents} agents, ${ticks} ticks, oases world, ${clock} clock (${clock === 'paced' ? `${stepsPerTick} engine steps` : `${tickMs} ms`} per tick), seeds ${seeds.join(',')}\nmodel: ${model.label}`,
);
const loaded = await model.load(); // full always deliberates through it
const t0 = performance.now();
const r = await runAblation({
  seeds,
  agents,
  ticks,
  variants,
  clock,
  stepsPerTick,
  tickMs,
  ...(loaded ? { model: loaded } : {}),
  onRun: (seed, variant, o) =>
    process.stderr.write(
      `  seed ${seed} ${variant.padEnd(12)} reward ${o.reward.toFixed(2)} survival ${o.survival.toFixed(2)}\n`,
    ),
});
loaded?.model.dispose();
const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');
const pm = (e: { mean: number; ci95: number } | null) => (e ? `${fmt(e.mean)} ± ${fmt(e.ci95)}` : '—');
console.log('\n| variant | mean reward | survival | needy answered in time | thoughts / run | late / run |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const v of r.variants) {
  const s = r.summary[v]!;
  const runs = r.runs[v]!;
  const per = (k: 'thoughts' | 'late') => fmt(runs.reduce((a, o) => a + o[k], 0) / runs.length, 0);
  console.log(
    `| ${v} | ${pm(s.reward)} | ${pm(s.survival)} | ${pm(s.needyInTime)} | ${per('thoughts')} | ${per('late')} |`,
  );
}
console.log('\n| full − variant (paired by seed) | reward delta | 95% CI | survival delta |');
console.log('| --- | --- | --- | --- |');
for (const [v, d] of Object.entries(r.pairedDelta))
  console.log(`| ${v} | ${fmt(d.reward.mean)} | [${fmt(d.low)}, ${fmt(d.high)}] | ${fmt(d.survival)} |`);
const allAbove = Object.values(r.pairedDelta).every((d) => d.low > 0);
console.log(
  `\nfull beats reflex_only by ${fmt(100 * r.gainOverReflex, 0)}% of |reflex_only|'s mean reward; every paired CI above 0: ${allAbove} (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
);
console.log(
  JSON.stringify({
    seeds,
    agents,
    ticks,
    clock,
    ...(clock === 'paced' ? { steps_per_tick: stepsPerTick } : { tick_ms: tickMs }),
    model: model.label,
    variants: Object.fromEntries(
      r.variants.map((v) => {
        const s = r.summary[v]!;
        return [
          v,
          {
            reward_mean: s.reward.mean,
            reward_ci95: s.reward.ci95,
            survival_mean: s.survival.mean,
            survival_ci95: s.survival.ci95,
            needy_in_time_mean: s.needyInTime?.mean ?? null,
          },
        ];
      }),
    ),
    paired_delta_vs_full: Object.fromEntries(
      Object.entries(r.pairedDelta).map(([v, d]) => [
        v,
        { reward_mean: d.reward.mean, reward_ci95_low: d.low, reward_ci95_high: d.high, survival_mean: d.survival },
      ]),
    ),
    full_vs_reflex_only_gain: r.gainOverReflex,
    all_paired_ci_above_zero: allAbove,
  }),
);
