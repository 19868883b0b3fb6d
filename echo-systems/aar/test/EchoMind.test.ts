import { ACTIONS, expertPolicy } from '@dte/arena';
import { AsyncEngine, LlmEngine, loadModel } from '@dte/engine-core';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { describe, expect, it } from 'vitest';
import {
  ActionChooser,
  EchoMind,
  EchoWorld,
  ForagingAdapter,
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
    // Relations: agent–arena affinity exists once rewards came in (they do within 60 ticks for the expert).
    const affinity = a.world.store.getNode('ConceptNode', 'affinity');
    expect(affinity).toBeDefined();
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
