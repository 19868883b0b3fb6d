import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  buildEchoRun,
  type ClockMode,
  ECHO_VARIANTS,
  type EchoVariant,
  type ForagingWorld,
  runAar,
  type TickRecord,
  variantNeedsEngine,
} from '@dte/aar';
import { TrajectoryRecorder } from '@dte/arena';
import { type AsyncEngine, createEngine, loadModel } from '@dte/engine-core';
import { buildApp, ViewerHub } from '@dte/server';
import { parseBackend } from '../backendOption.ts';
import { CliError } from '../CliError.ts';
import type { Command } from '../Command.ts';
import { parseOptions } from '../parseOptions.ts';
import { defaultModel } from '../run/defaultModel.ts';
import { LiveStatus } from '../run/LiveStatus.ts';

const usage = `Usage: dte run [--world oases|classic] [--agents 16] [--ticks 200] [--seed 1]
               [--clock lockstep|realtime|paced] [--tick-ms 100] [--steps-per-tick 1]
               [--model M.gguf | --no-model] [--variant full|no_memory|…] [--feedback on|off]
               [--think-every 12] [--backend cpu|cuda|auto|reference] [--out DIR] [--viewer] [--port 8080]

Runs embodied agents in the foraging arena through the echo loop. Lockstep (the default) waits for
every agent's decision each tick, so a seed gives byte-identical trajectories; realtime ticks every
--tick-ms of wall clock and paced every --steps-per-tick engine steps, and thoughts not answered by
then fall back to reflexes (there the body→priority loop decides who thinks first). --out writes
trajectory.jsonl (no wall-clock values), timings.json, metrics.json and summary.json. --viewer serves
a live page (URL printed on stderr). Without --model the minds think through echo-tiny (or, without
it, a generated untrained model, labelled as such); --no-model runs reflexes only. --variant switches
an echo system off (see bench:ablation); --feedback off is --variant no_feedback (FCFS).`;

function intOption(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new CliError('DTE_ERR_CLI_USAGE', `--${name} must be an integer ≥ ${min}, got '${value}'`);
  return n;
}

/** `dte run`: the main job. */
export const runCommand: Command = {
  name: 'run',
  summary: 'run agents in an arena through the echo loop (the main job)',
  usage,
  async run(argv, io) {
    const { values } = parseOptions(
      argv,
      {
        arena: { type: 'string', default: 'foraging' },
        world: { type: 'string', default: 'oases' },
        agents: { type: 'string' },
        ticks: { type: 'string' },
        seed: { type: 'string' },
        clock: { type: 'string', default: 'lockstep' },
        'tick-ms': { type: 'string' },
        'steps-per-tick': { type: 'string' },
        model: { type: 'string' },
        'no-model': { type: 'boolean', default: false },
        variant: { type: 'string' },
        feedback: { type: 'string', default: 'on' },
        'think-every': { type: 'string' },
        backend: { type: 'string', default: 'cpu' },
        out: { type: 'string' },
        viewer: { type: 'boolean', default: false },
        port: { type: 'string' },
      },
      usage,
    );
    const bad = (msg: string) => new CliError('DTE_ERR_CLI_USAGE', msg);
    if (values.arena !== 'foraging') throw bad(`unknown arena '${values.arena}' (available: foraging)`);
    if (values.world !== 'oases' && values.world !== 'classic')
      throw bad(`--world must be oases or classic, got '${values.world}'`);
    const clock = values.clock as ClockMode;
    if (clock !== 'lockstep' && clock !== 'realtime' && clock !== 'paced')
      throw bad(`--clock must be lockstep, realtime or paced, got '${values.clock}'`);
    const numAgents = intOption(values.agents, 'agents', 16, 1);
    const maxTicks = intOption(values.ticks, 'ticks', 200, 1);
    const seed = intOption(values.seed, 'seed', 1, 0);
    const tickMs = intOption(values['tick-ms'], 'tick-ms', 100, 1);
    const stepsPerTick = intOption(values['steps-per-tick'], 'steps-per-tick', 1, 1);
    const port = intOption(values.port, 'port', 0, 0);
    const thinkEvery = intOption(values['think-every'], 'think-every', 12, 1);
    if (values.feedback !== 'on' && values.feedback !== 'off')
      throw bad(`--feedback must be on or off, got '${values.feedback}'`);
    const backend = parseBackend(values.backend, usage);
    if (values.model && values['no-model']) throw bad('--model and --no-model exclude each other');
    if (values.variant !== undefined && !ECHO_VARIANTS.includes(values.variant as EchoVariant))
      throw bad(`--variant must be one of ${ECHO_VARIANTS.join(', ')}, got '${values.variant}'`);
    const variant: EchoVariant = values['no-model']
      ? 'reflex_only'
      : ((values.variant as EchoVariant | undefined) ?? (values.feedback === 'off' ? 'no_feedback' : 'full'));
    const thinks = variantNeedsEngine(variant);
    if (clock === 'paced' && !thinks) throw bad('--clock paced counts engine steps: it needs a model');
    const fallback = thinks && !values.model ? defaultModel() : null;
    const modelPath = thinks ? (values.model ?? fallback!.path) : null;
    const modelLabel = thinks ? (values.model ?? fallback!.label) : 'none (reflexes only)';
    let engine: AsyncEngine | null = null;
    let tokenizer: Awaited<ReturnType<typeof loadModel>>['tokenizer'] | null = null;
    if (modelPath) {
      const loaded = await loadModel(modelPath, { kvCacheBytes: 256 << 20, backend });
      tokenizer = loaded.tokenizer;
      engine = createEngine(loaded, { policy: 'priority', maxNumBatchedTokens: 512, seed });
    }
    const echo = buildEchoRun({
      agents: numAgents,
      seed,
      ticks: maxTicks,
      world: values.world as ForagingWorld,
      variant,
      ...(engine && tokenizer ? { engine: { engine, tokenizer } } : {}),
      clock,
      tickMs,
      stepsPerTick,
      deliberateEvery: thinkEvery,
      placesPerPrompt: 2,
    });
    const { adapter } = echo;
    const { width, height } = adapter.size;
    io.stderr.write(
      `dte run: ${numAgents} agents in the ${values.world} world ${width}x${height}, ${maxTicks} ticks, seed ${seed}, ${clock} clock, variant ${variant}\nmodel: ${modelLabel}\n`,
    );
    const hub = values.viewer ? new ViewerHub() : null;
    const app = hub ? await buildApp({ viewerHub: hub }) : null;
    if (app) {
      const address = await app.listen({ host: '127.0.0.1', port });
      io.stderr.write(`viewer: ${address}/viewer\n`);
    }
    const recorder = new TrajectoryRecorder({
      arena: 'foraging',
      world: values.world,
      agents: numAgents,
      seed,
      ticks: maxTicks,
      clock,
      // What decides: with a model, echo minds (DTESN, ECAN, memory) that deliberate through it every
      // --think-every ticks (and on urgency or surprise); without one, their reflexes alone. The model is
      // named by its file (no absolute paths, so a seed's trajectory is the same on every machine).
      ...(modelPath
        ? {
            minds: 'echo',
            model: basename(modelPath),
            ...(fallback ? { model_trained: fallback.trained } : {}),
            backend,
            think_every: thinkEvery,
            variant,
            feedback: variant === 'no_feedback' ? 'off' : 'on',
          }
        : { minds: variant === 'random' ? 'random' : 'reflex', model: null }),
    });
    const status = new LiveStatus(io.stderr, maxTicks);
    const tickMsList: number[] = [];
    let last = performance.now();
    const totals: Record<string, number> = Object.fromEntries(adapter.agentIds.map((id) => [id, 0]));
    const sources: Record<string, number> = {};
    let needyAsked = 0;
    let needyAnswered = 0;
    const onTick = (rec: TickRecord) => {
      const now = performance.now();
      tickMsList.push(now - last);
      last = now;
      for (const [id, r] of Object.entries(rec.step.rewards)) totals[id] = (totals[id] ?? 0) + r;
      for (const d of Object.values(rec.decisions)) {
        sources[d.source] = (sources[d.source] ?? 0) + 1;
        if (d.deliberated && (d.urgency ?? 0) >= 0.5) {
          needyAsked++;
          if (d.source === 'thought') needyAnswered++;
        }
      }
      const bodies = adapter.statuses();
      recorder.record(
        rec.tick,
        Object.fromEntries(Object.entries(rec.decisions).map(([id, d]) => [id, d.action])),
        {
          observations: {},
          infos: {},
          rewards: rec.step.rewards,
          terminations: rec.step.terminations,
          truncations: rec.step.truncations,
        },
        bodies,
      );
      status.update(rec, bodies);
      hub?.publish({
        tick: rec.tick + 1,
        world: adapter.frame(),
        agents: Object.entries(rec.senses).map(([id, s]) => ({
          id,
          urgency: s.urgency,
          surprise: s.surprise,
          focus: s.focus,
          ...(s.goal ? { goal: s.goal } : {}),
          ...(rec.decisions[id]?.thought ? { thought: rec.decisions[id]!.thought } : {}),
          source: rec.decisions[id]?.source ?? '',
        })),
        stats: { clock, alive: adapter.liveAgents().length },
      });
    };
    const started = performance.now();
    const result = await runAar(echo.input, onTick);
    const wallS = (performance.now() - started) / 1000;
    const survivors = adapter.statuses().filter((a) => a.alive).length;
    const meanReward = Object.values(totals).reduce((a, b) => a + b, 0) / numAgents;
    const needyInTime = needyAsked > 0 ? needyAnswered / needyAsked : null;
    const summary = {
      arena: 'foraging',
      world: values.world,
      agents: numAgents,
      ticks: result.ticks,
      seed,
      clock,
      model: modelLabel,
      variant,
      survival: survivors / numAgents,
      mean_reward: Math.round(meanReward * 1e4) / 1e4,
      needy_answered_in_time: needyInTime,
      decisions: sources,
    };
    if (values.out) {
      mkdirSync(values.out, { recursive: true });
      writeFileSync(join(values.out, 'trajectory.jsonl'), recorder.toJsonl());
      writeFileSync(join(values.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
      const sorted = [...tickMsList].sort((a, b) => a - b);
      const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
      writeFileSync(
        join(values.out, 'timings.json'),
        `${JSON.stringify({ wall_s: wallS, ticks_per_s: result.ticks / wallS, tick_ms_p50: q(0.5), tick_ms_p95: q(0.95), tick_ms: tickMsList }, null, 2)}\n`,
      );
      writeFileSync(
        join(values.out, 'metrics.json'),
        `${JSON.stringify({ decisions_by_source: sources, rewards_by_agent: totals }, null, 2)}\n`,
      );
    }
    const inTime =
      needyInTime === null
        ? 'no needy deliberations'
        : `${(needyInTime * 100).toFixed(0)}% of needy agents' deliberations answered in time`;
    io.stdout.write(
      `foraging (${values.world}), ${numAgents} agents, ${result.ticks} ticks (seed ${seed}): survival ${(summary.survival * 100).toFixed(0)}%, mean reward ${summary.mean_reward.toFixed(2)}, ${inTime}, ${(result.ticks / wallS).toFixed(1)} ticks/s\n`,
    );
    if (engine) {
      const m = engine.metrics();
      if (values.out) {
        writeFileSync(join(values.out, 'engine-metrics.json'), `${JSON.stringify(m, null, 2)}\n`);
      }
      await engine.close();
    }
    if (app) await app.close();
    return 0;
  },
};
