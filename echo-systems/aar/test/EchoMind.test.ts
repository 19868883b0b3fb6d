import { ACTIONS, expertPolicy } from '@dte/arena';
import { AsyncEngine, LlmEngine, loadModel } from '@dte/engine-core';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { describe, expect, it } from 'vitest';
import {
  ActionChooser,
  EchoMind,
  EchoWorld,
  ForagingAdapter,
  type Percept,
  type PriorityChange,
  runAar,
  urgencyFeedback,
} from '../src/index.ts';

function echoRun(numAgents: number, seed: number, chooser?: ActionChooser) {
  const adapter = new ForagingAdapter({ numAgents });
  const sensorDim = adapter.env.config.viewSize ** 2 * 3 + 9;
  const world = new EchoWorld({ seed, sensorDim, numActions: ACTIONS.length, ...(chooser ? { chooser } : {}) });
  const minds = Object.fromEntries(
    adapter.agentIds.map((id) => [
      id,
      new EchoMind(world, id, {
        persona: 'a small forager who wants to stay alive.',
        actionNames: ACTIONS,
        fallbackReflex: () => expertPolicy(adapter.last[id]!, adapter.env.config.viewSize),
        seed,
      }),
    ]),
  );
  return { adapter, world, minds };
}

/** The truth value of an agent's affinity for the arena, or undefined when the relation was never recorded. */
function arenaAffinity(world: EchoWorld, agentId: string) {
  const s = world.store;
  const [affinity, arena, self] = [
    s.getNode('ConceptNode', 'affinity'),
    s.getNode('ConceptNode', 'arena'),
    s.getNode('AnchorNode', `agent:${agentId}`),
  ];
  if (affinity === undefined || arena === undefined || self === undefined) return undefined;
  const pair = s.getLink('ListLink', [self, arena]);
  const rel = pair === undefined ? undefined : s.getLink('EvaluationLink', [affinity, pair]);
  return rel === undefined ? undefined : s.getTv(rel);
}

describe('EchoMind relations', () => {
  it('agent–arena affinity moves with the rewards the agent senses, and only with them', () => {
    const world = new EchoWorld({ seed: 1, sensorDim: 4, numActions: 2 });
    const minds = ['a', 'b'].map(
      (id) => new EchoMind(world, id, { persona: 'p', actionNames: ['x', 'y'], fallbackReflex: () => 0 }),
    );
    const percept = (tick: number, reward: number): Percept => ({
      tick,
      text: 'here',
      proprio: new Float32Array(9),
      sensation: new Float32Array(4),
      actionMask: new Uint8Array([1, 1]),
      reward,
    });
    const [a, b] = minds as [EchoMind, EchoMind];
    a.sense(percept(0, 0));
    b.sense(percept(0, 0));
    expect(arenaAffinity(world, 'a')).toBeUndefined();
    a.sense(percept(1, 1));
    b.sense(percept(1, 0));
    expect(arenaAffinity(world, 'a')?.strength).toBeCloseTo(0.55, 6);
    expect(arenaAffinity(world, 'a')?.confidence).toBeCloseTo(0.01, 6);
    expect(arenaAffinity(world, 'b')).toBeUndefined();
    a.sense(percept(2, 0.3));
    b.sense(percept(2, -2));
    expect(arenaAffinity(world, 'a')?.strength).toBeCloseTo(0.6, 6);
    expect(arenaAffinity(world, 'a')?.confidence).toBeCloseTo(0.02, 6);
    expect(arenaAffinity(world, 'b')?.strength).toBeCloseTo(0.45, 6);
    a.sense(percept(3, -1));
    expect(arenaAffinity(world, 'a')?.strength).toBeCloseTo(0.55, 6);
    expect(arenaAffinity(world, 'a')?.confidence).toBeCloseTo(0.03, 6);
  });
});

describe('EchoMind in the echo loop', () => {
  it('senses through DTESN, memory and ECAN; reproducible from the seed', async () => {
    const runOnce = async () => {
      const { adapter, world, minds } = echoRun(3, 7);
      const res = await runAar({ adapter, minds, seed: 7, maxTicks: 60, clock: 'lockstep' });
      return { res, world, minds, state: adapter.env.state() };
    };
    const a = await runOnce();
    const b = await runOnce();
    expect(b.state).toEqual(a.state);
    const last = a.res.records.at(-1)!;
    const mind = a.minds.agent_0!;
    expect(mind.memory.episodes().length).toBeGreaterThan(3);
    expect(a.world.ecan.focus().length).toBeGreaterThan(0);
    const surprises = a.res.records.map((r) => r.senses.agent_0?.surprise ?? 0);
    expect(Math.max(...surprises)).toBeGreaterThan(0);
    expect(last.senses.agent_0?.memories.length).toBeGreaterThan(0);
    // Relations: each agent's affinity for the arena follows the rewards it sensed — absent until the
    // first non-zero reward, then 0.5 nudged by ±0.05 per reward (clamped to [0, 1]), 0.01 confidence each.
    // Every percept but the last tick's is sensed (the reset's, then each step's but the final one).
    const sensed = (id: string) => a.res.records.slice(0, -1).map((r) => r.step.percepts[id]?.reward ?? 0);
    let rewarded = 0;
    for (const id of Object.keys(a.minds)) {
      const rewards = sensed(id).filter((r) => r !== 0);
      const tv = arenaAffinity(a.world, id);
      if (rewards.length === 0) {
        expect(tv, `${id} was never rewarded`).toBeUndefined();
        continue;
      }
      rewarded++;
      let strength = 0.5;
      for (const r of rewards) strength = Math.max(0, Math.min(1, strength + Math.sign(r) * 0.05));
      expect(tv, `${id} was rewarded ${rewards.length} times`).toBeDefined();
      expect(tv!.strength).toBeCloseTo(strength, 6);
      expect(tv!.confidence).toBeCloseTo(Math.min(0.99, rewards.length * 0.01), 6);
    }
    expect(rewarded).toBeGreaterThan(0);
    for (const r of a.res.records) for (const d of Object.values(r.decisions)) expect(d.source).toBe('reflex');
  });

  it.skipIf(!hasSharedModel())('deliberates through the engine with urgency as live priority', async () => {
    const loaded = await loadModel(sharedModel('stories260K.gguf'), { numBlocks: 256 });
    const engine = new AsyncEngine(
      new LlmEngine({ executor: loaded.model, tokenizer: loaded.tokenizer, numBlocks: 256, policy: 'priority' }),
    );
    const chooser = new ActionChooser(engine, loaded.tokenizer, ACTIONS, 0.8);
    const { adapter, minds } = echoRun(2, 3, chooser);
    const changes: PriorityChange[] = [];
    const sink = {
      setPriority: (owner: string, p: number) => {
        changes.push({ owner, priority: p });
        engine.engine.setPriority(owner, p);
      },
    };
    const feedback = urgencyFeedback(
      Object.fromEntries(Object.entries(minds).map(([id, m]) => [id, m.urgency$])),
      sink,
    );
    const res = await runAar({ adapter, minds, seed: 3, maxTicks: 12, clock: 'lockstep', feedback });
    const thoughts = res.records.flatMap((r) => Object.values(r.decisions)).filter((d) => d.source === 'thought');
    expect(thoughts.length).toBeGreaterThan(0);
    // Every decision, thought or reflex, is legal under the mask of the percept it was made on.
    for (let i = 1; i < res.records.length; i++) {
      for (const [id, d] of Object.entries(res.records[i]!.decisions)) {
        expect(res.records[i - 1]!.step.percepts[id]!.actionMask[d.action]).toBe(1);
      }
    }
    expect(changes.length).toBeGreaterThan(0);
    expect(new Set(changes.map((c) => c.owner))).toEqual(new Set(['agent_0', 'agent_1']));
    expect(engine.engine.metrics().numRunning + engine.engine.metrics().numWaiting).toBe(0);
  });
});
