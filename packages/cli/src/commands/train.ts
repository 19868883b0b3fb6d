import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { trainRl } from '@dte/trainer';
import { CliError } from '../CliError.ts';
import type { Command } from '../Command.ts';
import { parseOptions } from '../parseOptions.ts';

const usage = `Usage: dte train --rl --from CHECKPOINT.gguf [--out M.gguf] [--iterations 12] [--resume]
                 [--episodes 6] [--agents 8] [--ticks 200] [--seed 1] [--temperature 0.5]
                 [--kl 0.05] [--clip 0.2] [--lr 1e-4] [--epochs 1]

Learning from experience: the agents run the oases world through one serving engine with the model
from --from (the imitation model: npm run train:echo-tiny), and the model is updated from their
reward (PPO-clip on the option digits, advantages normalised within groups of states of the same
class, an exact KL penalty to the --from model); each iteration's weights are swapped into the running
engine. Writes --out (default .cache/trainer/echo-tiny-rl.gguf) after every iteration, with the
optimiser state (.state.gguf), the history (.rl.json) and the reward and KL curves (.reward.svg,
.kl.svg); --resume continues exactly where a run stopped. The imitation recipe itself is
\`npm run train:echo-tiny\`.`;

function num(v: string | undefined, name: string, fallback: number, integer: boolean, min: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min)
    throw new CliError(
      'DTE_ERR_CLI_USAGE',
      `--${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got '${v}'`,
    );
  return n;
}

/** `dte train --rl`: policy-gradient training of the agents' model from arena reward. */
export const trainCommand: Command = {
  name: 'train',
  summary: 'improve the agents’ model from their experience in the arena (--rl)',
  usage,
  async run(argv, io) {
    const { values } = parseOptions(
      argv,
      {
        rl: { type: 'boolean', default: false },
        from: { type: 'string' },
        out: { type: 'string' },
        iterations: { type: 'string' },
        resume: { type: 'boolean', default: false },
        episodes: { type: 'string' },
        agents: { type: 'string' },
        ticks: { type: 'string' },
        seed: { type: 'string' },
        temperature: { type: 'string' },
        kl: { type: 'string' },
        clip: { type: 'string' },
        lr: { type: 'string' },
        epochs: { type: 'string' },
      },
      usage,
    );
    if (!values.rl)
      throw new CliError('DTE_ERR_CLI_USAGE', `dte train needs --rl (imitation: npm run train:echo-tiny)\n${usage}`);
    if (!values.from) throw new CliError('DTE_ERR_CLI_USAGE', `--from CHECKPOINT.gguf is required\n${usage}`);
    const out = values.out ?? '.cache/trainer/echo-tiny-rl.gguf';
    mkdirSync(dirname(out), { recursive: true });
    const iterations = num(values.iterations, 'iterations', 12, true, 0);
    io.stderr.write(`dte train --rl: from ${values.from}, ${iterations} iterations → ${out}\n`);
    io.stdout.write('iteration | reward | survival | KL      | clipped | decisions | trained | swap preempted | s\n');
    const history = await trainRl({
      from: values.from,
      out,
      iterations,
      resume: values.resume,
      episodes: num(values.episodes, 'episodes', 6, true, 1),
      agents: num(values.agents, 'agents', 8, true, 1),
      ticks: num(values.ticks, 'ticks', 200, true, 1),
      seed: num(values.seed, 'seed', 1, true, 0),
      temperature: num(values.temperature, 'temperature', 0.5, false, 0.01),
      klCoef: num(values.kl, 'kl', 0.05, false, 0),
      clip: num(values.clip, 'clip', 0.2, false, 0),
      lr: num(values.lr, 'lr', 1e-4, false, 0),
      epochs: num(values.epochs, 'epochs', 1, true, 1),
      onIteration: (r) =>
        io.stdout.write(
          `${String(r.iteration).padStart(9)} | ${r.reward.toFixed(2).padStart(6)} | ${r.survival.toFixed(2).padStart(8)} | ${r.kl.toExponential(1)} | ${r.clipped.toFixed(2).padStart(7)} | ${String(r.decisions).padStart(9)} | ${String(r.trained).padStart(7)} | ${String(r.preemptedBySwap).padStart(14)} | ${r.seconds.toFixed(0)}\n`,
        ),
    });
    io.stdout.write(`${JSON.stringify({ out, iterations: history.length, history })}\n`);
    return 0;
  },
};
