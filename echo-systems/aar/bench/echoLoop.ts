// bench:echo-loop — the feedback ablation. 32 agents think through one engine under saturation on the
// realtime clock, with the urgency → priority feedback on (priority scheduling) and off (FCFS), same
// seeds. Reports decision latency of agents in danger (urgency ≥ 0.5) vs the rest, how many decisions
// were thoughts vs late reflexes, survival and mean reward.
//   npm run bench:echo-loop [-- --agents 32 --ticks 60 --tick-ms 120 --think-every 1 --seeds 1,2 --model M.gguf]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AsyncEngine, LlmEngine, loadModel, synthesizeModel } from '@dte/engine-core';
import { ActionChooser, createEchoMinds, type Decision, ForagingAdapter, runAar } from '../src/index.ts';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '32' },
    ticks: { type: 'string', default: '60' },
    'tick-ms': { type: 'string', default: '120' },
    'think-every': { type: 'string', default: '1' },
    seeds: { type: 'string', default: '1,2' },
    model: { type: 'string' },
  },
});
const numAgents = Number(values.agents);
const maxTicks = Number(values.ticks);
const tickMs = Number(values['tick-ms']);
const seeds = values.seeds!.split(',').map(Number);
const thinkEvery = Number(values['think-every']);

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** echo-tiny (the project's trained model) when the repository ships it, else a synthetic stand-in. */
function benchModel(): { path: string; label: string } {
  if (values.model) return { path: values.model, label: values.model };
  const echoTiny = join(root, 'packages', 'trainer', 'models', 'echo-tiny.gguf');
  if (existsSync(echoTiny)) return { path: echoTiny, label: 'echo-tiny (trained)' };
  const path = join(root, 'node_modules', '.cache', 'dte-bench', 'echo-loop-tiny-q8_0.gguf');
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, synthesizeModel({ arch: 'llama', params: 'tiny', type: 'Q8_0', seed: 7 }));
  }
  return { path, label: 'synthetic tiny (untrained)' };
}
const model = benchModel();

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

interface Outcome {
  dangerLatency: number[];
  otherLatency: number[];
  dangerThoughtShare: number[];
  survival: number;
  meanReward: number;
  numThoughts: number;
  numLate: number;
}

async function runOnce(seed: number, feedbackOn: boolean): Promise<Outcome> {
  const loaded = await loadModel(model.path, { kvCacheBytes: 512 << 20 });
  const engine = new AsyncEngine(
    new LlmEngine({
      executor: loaded.model,
      tokenizer: loaded.tokenizer,
      numBlocks: loaded.config.numBlocks,
      policy: feedbackOn ? 'priority' : 'fcfs',
      maxNumSeqs: 64,
      maxNumBatchedTokens: 2048,
      seed,
    }),
  );
  const side = Math.max(16, Math.ceil(Math.sqrt(numAgents * 40)));
  // A harsher world than the default, so that agents are in danger often enough to measure.
  const adapter = new ForagingAdapter({
    numAgents,
    width: side,
    height: side,
    maxCycles: maxTicks,
    energyDecay: 0.02,
    hydrationDecay: 0.02,
  });
  const chooser = new ActionChooser(engine, loaded.tokenizer, adapter.actionNames);
  const { minds, feedback } = createEchoMinds(adapter, {
    seed,
    chooser,
    prioritySink: engine.engine,
    feedback: feedbackOn,
    deliberateEvery: thinkEvery,
  });
  const decisions: Decision[] = [];
  const rewards: number[] = [];
  await runAar(
    { adapter, minds, seed, maxTicks, clock: 'realtime', tickMs, ...(feedback ? { feedback } : {}) },
    (rec) => {
      decisions.push(...Object.values(rec.decisions));
      rewards.push(...Object.values(rec.step.rewards));
    },
  );
  await engine.close();
  loaded.model.dispose();
  const latency = (d: Decision) => (d.source === 'thought' ? (d.latencyMs ?? tickMs) : tickMs); // late reflexes are censored at the deadline
  const deliberated = decisions.filter((d) => d.source === 'thought' || d.source === 'reflex-late');
  const danger = deliberated.filter((d) => (d.urgency ?? 0) >= 0.5);
  const rest = deliberated.filter((d) => (d.urgency ?? 0) < 0.5);
  const alive = adapter.env.state().agents.filter((a) => a.alive).length;
  return {
    dangerLatency: danger.map(latency),
    otherLatency: rest.map(latency),
    dangerThoughtShare: [danger.filter((d) => d.source === 'thought').length / Math.max(1, danger.length)],
    survival: alive / numAgents,
    meanReward: rewards.reduce((a, b) => a + b, 0) / numAgents,
    numThoughts: deliberated.filter((d) => d.source === 'thought').length,
    numLate: deliberated.filter((d) => d.source === 'reflex-late').length,
  };
}

const results: Record<'on' | 'off', Outcome[]> = { on: [], off: [] };
for (const seed of seeds) {
  for (const mode of ['on', 'off'] as const) {
    const o = await runOnce(seed, mode === 'on');
    results[mode].push(o);
    console.error(
      `seed ${seed} feedback ${mode}: thoughts ${o.numThoughts}, late ${o.numLate}, survival ${o.survival.toFixed(2)}`,
    );
  }
}
const agg = (mode: 'on' | 'off') => {
  const rs = results[mode];
  const danger = rs.flatMap((r) => r.dangerLatency);
  const other = rs.flatMap((r) => r.otherLatency);
  return {
    p50Danger: quantile(danger, 0.5),
    p95Danger: quantile(danger, 0.95),
    p50Other: quantile(other, 0.5),
    p95Other: quantile(other, 0.95),
    dangerThoughts: rs.reduce((a, r) => a + r.dangerThoughtShare[0]!, 0) / rs.length,
    numDanger: danger.length,
    survival: rs.reduce((a, r) => a + r.survival, 0) / rs.length,
    reward: rs.reduce((a, r) => a + r.meanReward, 0) / rs.length,
  };
};
const on = agg('on');
const off = agg('off');
console.log(
  `echo loop: ${numAgents} agents, ${maxTicks} ticks × ${seeds.length} seeds, realtime ${tickMs} ms ticks; each agent deliberates every ${thinkEvery} ticks and whenever urgent`,
);
console.log(
  `model: ${model.label}; latency of late deliberations is censored at the tick deadline; "danger" = urgency ≥ 0.5`,
);
console.log('                              feedback on   feedback off');
const row = (name: string, a: number, b: number, d = 0) =>
  console.log(`${name.padEnd(30)}${a.toFixed(d).padStart(11)}   ${b.toFixed(d).padStart(12)}`);
row('danger decisions (n)', on.numDanger, off.numDanger);
row('p50 danger latency (ms)', on.p50Danger, off.p50Danger);
row('p95 danger latency (ms)', on.p95Danger, off.p95Danger);
row('p50 other latency (ms)', on.p50Other, off.p50Other);
row('p95 other latency (ms)', on.p95Other, off.p95Other);
row('danger decisions thought (%)', on.dangerThoughts * 100, off.dangerThoughts * 100, 1);
row('survival (%)', on.survival * 100, off.survival * 100, 1);
row('mean reward per agent', on.reward, off.reward, 2);
console.log(
  JSON.stringify({
    bench: 'echo-loop',
    agents: numAgents,
    ticks: maxTicks,
    tick_ms: tickMs,
    think_every: thinkEvery,
    model: model.label,
    seeds,
    p50_danger_latency_ms_on: on.p50Danger,
    p50_danger_latency_ms_off: off.p50Danger,
    p95_danger_latency_ms_on: on.p95Danger,
    p95_danger_latency_ms_off: off.p95Danger,
    p95_other_latency_ms_on: on.p95Other,
    p95_other_latency_ms_off: off.p95Other,
    danger_thought_share_on: on.dangerThoughts,
    danger_thought_share_off: off.dangerThoughts,
    survival_on: on.survival,
    survival_off: off.survival,
    reward_on: on.reward,
    reward_off: off.reward,
  }),
);
