// bench:echo-loop — the closed loop alone: body and attention set the engine priority of each agent's
// deliberations (feedback on) or every request waits its turn (FCFS, off), at equal compute. 32 agents
// in the oases world under saturation, realtime clock by default (a tick is --tick-ms of wall clock;
// --clock paced counts engine steps instead). Reports the share of needy agents' (urgency ≥ 0.5)
// deliberations answered in time, survival and mean reward, paired by seed; last line JSON.
//   npm run bench:echo-loop [-- --agents 32 --ticks 120 --clock realtime|paced --tick-ms 100 --seeds 1,2,3 --model M.gguf]
import { parseArgs } from 'node:util';
import { runAblation } from '../src/index.ts';
import { benchModel } from './benchSupport.ts';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '32' },
    ticks: { type: 'string', default: '120' },
    clock: { type: 'string', default: 'realtime' },
    'tick-ms': { type: 'string', default: '100' },
    'steps-per-tick': { type: 'string', default: '2' },
    seeds: { type: 'string', default: '1,2,3' },
    model: { type: 'string' },
  },
});
const clock = values.clock === 'paced' ? 'paced' : 'realtime';
const seeds = values.seeds!.split(',').map(Number);
const model = benchModel(values.model);
const loaded = await model.load();
console.log(
  `bench:echo-loop — ${values.agents} agents, ${values.ticks} ticks, ${clock} clock, seeds ${seeds.join(',')}\nmodel: ${model.label}`,
);
const r = await runAblation({
  seeds,
  agents: Number(values.agents),
  ticks: Number(values.ticks),
  variants: ['no_feedback'],
  clock,
  tickMs: Number(values['tick-ms']),
  stepsPerTick: Number(values['steps-per-tick']),
  model: loaded,
});
loaded.model.dispose();
const fmt = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(3));
console.log('\n| feedback | needy answered in time | survival | mean reward |');
console.log('| --- | --- | --- | --- |');
for (const [label, v] of [
  ['on (priority)', 'full'],
  ['off (FCFS)', 'no_feedback'],
] as const) {
  const s = r.summary[v]!;
  console.log(
    `| ${label} | ${fmt(s.needyInTime?.mean)} | ${fmt(s.survival.mean)} | ${fmt(s.reward.mean)} ± ${fmt(s.reward.ci95)} |`,
  );
}
const d = r.pairedDelta.no_feedback!;
console.log(`\npaired reward delta on − off: ${fmt(d.reward.mean)} [${fmt(d.low)}, ${fmt(d.high)}]`);
console.log(
  JSON.stringify({
    agents: Number(values.agents),
    ticks: Number(values.ticks),
    clock,
    seeds,
    needy_in_time_on: r.summary.full!.needyInTime?.mean ?? null,
    needy_in_time_off: r.summary.no_feedback!.needyInTime?.mean ?? null,
    survival_on: r.summary.full!.survival.mean,
    survival_off: r.summary.no_feedback!.survival.mean,
    reward_on: r.summary.full!.reward.mean,
    reward_off: r.summary.no_feedback!.reward.mean,
    reward_delta_ci95: [d.low, d.high],
  }),
);
