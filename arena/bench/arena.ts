// bench:arena — steps/s of the foraging arena with random legal actions, after PettingZoo's
// performance_benchmark (a fixed wall-clock budget of env steps, resetting when all agents finish).
import { ForagingArena, Rng, sampleDiscrete } from '../src/index.ts';

function measure(numAgents: number, side: number, seconds: number): { stepsPerS: number; agentStepsPerS: number } {
  const samples: number[] = [];
  const env = new ForagingArena({ numAgents, width: side, height: side, maxCycles: 1000 });
  const rng = new Rng(1);
  let { observations } = env.reset({ seed: 1 });
  let agentSteps = 0;
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    const t0 = performance.now();
    let steps = 0;
    for (; steps < 200; steps++) {
      if (env.agents.length === 0) observations = env.reset({ seed: steps }).observations;
      const actions: Record<string, number> = {};
      for (const a of env.agents)
        actions[a] = sampleDiscrete({ kind: 'discrete', n: 6 }, rng, observations[a]?.actionMask);
      agentSteps += env.agents.length;
      observations = env.step(actions).observations;
    }
    samples.push((steps * 1000) / (performance.now() - t0));
  }
  samples.sort((a, b) => a - b);
  const median = samples[samples.length >> 1] ?? 0;
  return { stepsPerS: median, agentStepsPerS: agentSteps / seconds };
}

const rows = [
  { agents: 4, side: 16 },
  { agents: 16, side: 32 },
  { agents: 64, side: 48 },
].map((r) => ({ ...r, ...measure(r.agents, r.side, 3) }));

console.log('foraging arena, random legal actions, 1 thread (median of 200-step windows)');
console.log('agents  grid   env steps/s   agent-steps/s');
for (const r of rows) {
  console.log(
    `${String(r.agents).padStart(6)}  ${`${r.side}x${r.side}`.padEnd(5)}  ${r.stepsPerS.toFixed(0).padStart(12)}  ${r.agentStepsPerS.toFixed(0).padStart(14)}`,
  );
}
const r64 = rows.find((r) => r.agents === 64)!;
console.log(
  JSON.stringify({
    bench: 'arena',
    steps_per_s_64: Math.round(r64.stepsPerS),
    agent_steps_per_s_64: Math.round(r64.agentStepsPerS),
    steps_per_s_4: Math.round(rows[0]!.stepsPerS),
    steps_per_s_16: Math.round(rows[1]!.stepsPerS),
  }),
);
