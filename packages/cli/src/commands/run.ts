import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ActionChooser, type AgentMind, createEchoMinds, ForagingAdapter, runAar, type TickRecord } from '@dte/aar';
import { TrajectoryRecorder } from '@dte/arena';
import { AsyncEngine, LlmEngine, loadModel } from '@dte/engine-core';
import { buildApp, ViewerHub } from '@dte/server';
import { CliError } from '../CliError.ts';
import type { Command } from '../Command.ts';
import { parseOptions } from '../parseOptions.ts';
import { defaultModel } from '../run/defaultModel.ts';
import { LiveStatus } from '../run/LiveStatus.ts';

const usage = `Usage: dte run [--arena foraging] [--agents 16] [--ticks 200] [--seed 1] [--clock lockstep|realtime]
               [--tick-ms 100] [--model M.gguf | --no-model] [--feedback on|off] [--think-every 4]
               [--backend native|reference] [--out DIR] [--viewer] [--port 8080]

Runs embodied agents in an arena through the echo loop. Lockstep (default) waits for every agent's
decision each tick, so a seed gives byte-identical trajectories; realtime ticks at --tick-ms and late
thoughts fall back to reflexes. --out writes trajectory.jsonl (no wall-clock values), timings.json,
metrics.json and summary.json. --viewer serves a live page (URL printed on stderr).
Without --model, a generated untrained synthetic model thinks (labelled as such); --no-model runs
reflexes only. --feedback off disables the urgency → priority loop (FCFS scheduling).`;

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
        agents: { type: 'string' },
        ticks: { type: 'string' },
        seed: { type: 'string' },
        clock: { type: 'string', default: 'lockstep' },
        'tick-ms': { type: 'string' },
        model: { type: 'string' },
        'no-model': { type: 'boolean', default: false },
        feedback: { type: 'string', default: 'on' },
        'think-every': { type: 'string' },
        backend: { type: 'string', default: 'native' },
        out: { type: 'string' },
        viewer: { type: 'boolean', default: false },
        port: { type: 'string' },
      },
      usage,
    );
    if (values.arena !== 'foraging')
      throw new CliError('DTE_ERR_CLI_USAGE', `unknown arena '${values.arena}' (available: foraging)`);
    if (values.clock !== 'lockstep' && values.clock !== 'realtime')
      throw new CliError('DTE_ERR_CLI_USAGE', `--clock must be lockstep or realtime, got '${values.clock}'`);
    const numAgents = intOption(values.agents, 'agents', 16, 1);
    const maxTicks = intOption(values.ticks, 'ticks', 200, 1);
    const seed = intOption(values.seed, 'seed', 1, 0);
    const tickMs = intOption(values['tick-ms'], 'tick-ms', 100, 1);
    const port = intOption(values.port, 'port', 0, 0);
    const thinkEvery = intOption(values['think-every'], 'think-every', 4, 1);
    if (values.feedback !== 'on' && values.feedback !== 'off')
      throw new CliError('DTE_ERR_CLI_USAGE', `--feedback must be on or off, got '${values.feedback}'`);
    if (values.backend !== 'native' && values.backend !== 'reference')
      throw new CliError('DTE_ERR_CLI_USAGE', `--backend must be native or reference, got '${values.backend}'`);
    if (values.model && values['no-model'])
      throw new CliError('DTE_ERR_CLI_USAGE', '--model and --no-model exclude each other');
    const side = Math.max(16, Math.ceil(Math.sqrt(numAgents * 40)));
    const adapter = new ForagingAdapter({ numAgents, width: side, height: side, maxCycles: maxTicks });
    const fallback = values['no-model'] || values.model ? null : defaultModel();
    const modelPath = values['no-model'] ? null : (values.model ?? fallback!.path);
    const modelLabel = values['no-model'] ? 'none (reflexes only)' : (values.model ?? fallback!.label);
    const feedbackOn = values.feedback === 'on';
    let engine: AsyncEngine | null = null;
    let minds: Record<string, AgentMind>;
    let feedback: ReturnType<typeof createEchoMinds>['feedback'];
    if (modelPath) {
      const loaded = await loadModel(modelPath, { kvCacheBytes: 256 << 20, backend: values.backend });
      engine = new AsyncEngine(
        new LlmEngine({
          executor: loaded.model,
          tokenizer: loaded.tokenizer,
          numBlocks: loaded.config.numBlocks,
          policy: feedbackOn ? 'priority' : 'fcfs',
          seed,
        }),
      );
      const chooser = new ActionChooser(engine, loaded.tokenizer, adapter.actionNames);
      const echo = createEchoMinds(adapter, {
        seed,
        chooser,
        prioritySink: engine.engine,
        feedback: feedbackOn,
        deliberateEvery: thinkEvery,
      });
      minds = echo.minds;
      feedback = echo.feedback;
    } else {
      const echo = createEchoMinds(adapter, { seed, deliberateEvery: thinkEvery });
      minds = echo.minds;
      feedback = undefined;
    }
    io.stderr.write(
      `dte run: ${numAgents} agents in foraging ${side}x${side}, ${maxTicks} ticks, seed ${seed}, ${values.clock} clock, feedback ${values.feedback}\nmodel: ${modelLabel}\n`,
    );
    const hub = values.viewer ? new ViewerHub() : null;
    const app = hub ? await buildApp({ viewerHub: hub }) : null;
    if (app) {
      const address = await app.listen({ host: '127.0.0.1', port });
      io.stderr.write(`viewer: ${address}/viewer\n`);
    }
    const recorder = new TrajectoryRecorder({
      arena: 'foraging',
      agents: numAgents,
      seed,
      ticks: maxTicks,
      clock: values.clock,
      // What decides: with a model, echo minds (DTESN, ECAN, memory) that deliberate through it every
      // --think-every ticks (and on urgency or surprise); without one, their reflexes alone. The model is
      // named by its file (no absolute paths, so a seed's trajectory is the same on every machine).
      ...(modelPath
        ? {
            minds: 'echo',
            model: basename(modelPath),
            ...(fallback ? { model_trained: fallback.trained } : {}),
            backend: values.backend,
            think_every: thinkEvery,
            feedback: values.feedback,
          }
        : { minds: 'reflex', model: null }),
    });
    const status = new LiveStatus(io.stderr, maxTicks);
    const tickMsList: number[] = [];
    let last = performance.now();
    const totals: Record<string, number> = Object.fromEntries(adapter.agentIds.map((id) => [id, 0]));
    const sources: Record<string, number> = {};
    const onTick = (rec: TickRecord) => {
      const now = performance.now();
      tickMsList.push(now - last);
      last = now;
      for (const [id, r] of Object.entries(rec.step.rewards)) totals[id] = (totals[id] ?? 0) + r;
      for (const d of Object.values(rec.decisions)) sources[d.source] = (sources[d.source] ?? 0) + 1;
      const state = adapter.env.state();
      const bodies = state.agents.map((a) => ({
        id: a.id,
        x: a.x,
        y: a.y,
        heading: a.heading,
        energy: a.energy,
        hydration: a.hydration,
        health: a.health,
        alive: a.alive,
      }));
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
          ...(rec.decisions[id]?.thought ? { thought: rec.decisions[id]!.thought } : {}),
          source: rec.decisions[id]?.source ?? '',
        })),
        stats: { clock: values.clock!, alive: adapter.liveAgents().length },
      });
    };
    const started = performance.now();
    const result = await runAar(
      { adapter, minds, seed, maxTicks, clock: values.clock, tickMs, ...(feedback ? { feedback } : {}) },
      onTick,
    );
    const wallS = (performance.now() - started) / 1000;
    const final = adapter.env.state();
    const survivors = final.agents.filter((a) => a.alive).length;
    const meanReward = Object.values(totals).reduce((a, b) => a + b, 0) / numAgents;
    const summary = {
      arena: 'foraging',
      agents: numAgents,
      ticks: result.ticks,
      seed,
      clock: values.clock,
      model: modelLabel,
      feedback: values.feedback,
      survival: survivors / numAgents,
      mean_reward: Math.round(meanReward * 1e4) / 1e4,
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
    io.stdout.write(
      `foraging, ${numAgents} agents, ${result.ticks} ticks (seed ${seed}): survival ${(summary.survival * 100).toFixed(0)}%, mean reward ${summary.mean_reward.toFixed(2)}, ${(result.ticks / wallS).toFixed(1)} ticks/s\n`,
    );
    if (engine) {
      const m = engine.engine.metrics();
      if (values.out) {
        writeFileSync(join(values.out, 'engine-metrics.json'), `${JSON.stringify(m, null, 2)}\n`);
      }
      await engine.close();
    }
    if (app) await app.close();
    return 0;
  },
};
