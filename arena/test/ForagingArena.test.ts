import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  Action,
  ARENA_ERRORS,
  Cell,
  ForagingArena,
  PROPRIO_FIELDS,
  renderAscii,
  renderJsonFrame,
  renderPng,
  TrajectoryRecorder,
  ViewObject,
} from '../src/index.ts';
import { maxCyclesTest, parallelApiTest, parallelSeedTest } from './parallelConformance.ts';

const arenas = {
  'foraging (default)': (maxCycles = 300) => new ForagingArena({ maxCycles }),
  'foraging (crowded, harsh)': (maxCycles = 300) =>
    new ForagingArena({ width: 10, height: 8, numAgents: 12, hazardDensity: 0.2, energyDecay: 0.05, maxCycles }),
};

describe.each(Object.entries(arenas))('PettingZoo conformance: %s', (_name, make) => {
  it('passes the parallel API test', () => parallelApiTest(make(), 400));
  it('passes the seed test', () => parallelSeedTest(() => make(), 200));
  it('passes the max-cycles test', () => maxCyclesTest((n) => make(n)));
});

describe('ForagingArena', () => {
  it('error codes equal their keys', () => {
    for (const [k, v] of Object.entries(ARENA_ERRORS)) expect(v).toBe(k);
  });

  it('rejects bad configs, unknown agents, illegal action ids and stepping before reset', () => {
    expect(() => new ForagingArena({ viewSize: 4 })).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_ARENA_BAD_CONFIG' }),
    );
    expect(() => new ForagingArena({ width: 4, height: 4, numAgents: 9 })).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_ARENA_BAD_CONFIG' }),
    );
    const env = new ForagingArena();
    expect(() => env.step({})).toThrow(expect.objectContaining({ code: 'DTE_ERR_ARENA_NOT_RESET' }));
    env.reset({ seed: 1 });
    expect(() => env.step({ nobody: 0 })).toThrow(expect.objectContaining({ code: 'DTE_ERR_ARENA_UNKNOWN_AGENT' }));
    expect(() => env.step({ agent_0: 99 })).toThrow(expect.objectContaining({ code: 'DTE_ERR_ARENA_BAD_ACTION' }));
    expect(() => env.step({ agent_0: 1.5 })).toThrow(expect.objectContaining({ code: 'DTE_ERR_ARENA_BAD_ACTION' }));
  });

  it('masks exactly the actions the world allows', () => {
    const env = new ForagingArena({ numAgents: 3 });
    const { observations } = env.reset({ seed: 5 });
    for (let t = 0; t < 50; t++) {
      const actions: Record<string, number> = {};
      for (const agent of env.agents) {
        const s = env.state().agents.find((a) => a.id === agent)!;
        const dx = [0, 1, 0, -1][s.heading]!;
        const dy = [-1, 0, 1, 0][s.heading]!;
        const front = env.state().grid[(s.y + dy) * env.config.width + s.x + dx];
        const mask = env.actionMask(agent);
        expect(mask[Action.Eat]).toBe(front === Cell.Food ? 1 : 0);
        expect(mask[Action.Drink]).toBe(front === Cell.Water ? 1 : 0);
        expect(mask[Action.Forward]).toBe(front === Cell.Wall || front === Cell.Water ? 0 : 1);
        actions[agent] = mask[Action.Eat] ? Action.Eat : mask[Action.Forward] ? Action.Forward : Action.TurnLeft;
      }
      env.step(actions);
    }
    expect(Object.keys(observations)).toHaveLength(3);
  });

  it('eating raises energy and the food regrows after regrowTicks', () => {
    const env = new ForagingArena({ numAgents: 1, foodDensity: 0.5, regrowTicks: 3, wallDensity: 0, hazardDensity: 0 });
    env.reset({ seed: 2 });
    // Turn until food is in front (a dense map guarantees some within 4 turns or a few moves).
    let ate = false;
    for (let t = 0; t < 40 && !ate; t++) {
      const mask = env.actionMask('agent_0');
      if (mask[Action.Eat]) {
        const before = env.state();
        const res = env.step({ agent_0: Action.Eat });
        const after = env.state();
        // Homeostatic reward: the fraction of the 0.4 portion the body took up.
        const energy0 = before.agents[0]!.energy;
        expect(res.rewards.agent_0).toBeCloseTo((Math.min(1, energy0 + 0.4) - energy0) / 0.4, 10);
        expect(res.rewards.agent_0).toBeGreaterThan(0);
        expect(res.infos.agent_0?.ateFood).toBe(true);
        expect(after.agents[0]!.energy).toBeGreaterThan(before.agents[0]!.energy);
        const eaten = before.grid.findIndex((c, i) => c === Cell.Food && after.grid[i] === Cell.Empty);
        expect(eaten).toBeGreaterThanOrEqual(0);
        env.step({ agent_0: Action.TurnLeft });
        env.step({ agent_0: Action.TurnLeft });
        expect(env.state().grid[eaten]).toBe(Cell.Food);
        ate = true;
      } else env.step({ agent_0: mask[Action.Forward] && t % 3 === 0 ? Action.Forward : Action.TurnRight });
    }
    expect(ate).toBe(true);
  });

  it('an agent that never eats starves, feels it, and is terminated', () => {
    const env = new ForagingArena({ numAgents: 1, energyDecay: 0.2, maxCycles: 100 });
    env.reset({ seed: 9 });
    let last = env.step({ agent_0: Action.Stay });
    let t = 1;
    while (env.agents.length > 0 && t < 100) {
      last = env.step({ agent_0: Action.Stay });
      t++;
    }
    expect(last.terminations.agent_0).toBe(true);
    expect(last.rewards.agent_0).toBeLessThanOrEqual(-10);
    expect(last.observations.agent_0?.text).toMatch(/hungry/);
    const p = last.observations.agent_0!.proprio;
    expect(p[PROPRIO_FIELDS.indexOf('health')]).toBe(0);
    expect(p[PROPRIO_FIELDS.indexOf('d_health')]).toBeLessThan(0);
  });

  it('the egocentric view puts the agent at the bottom centre facing up', () => {
    const env = new ForagingArena({
      numAgents: 1,
      viewSize: 5,
      wallDensity: 0,
      foodDensity: 0,
      waterDensity: 0,
      hazardDensity: 0,
    });
    const { observations } = env.reset({ seed: 1 });
    const s = env.state().agents[0]!;
    const view = observations.agent_0!.view;
    // Walk forward until the wall is right in front, then the cell above the agent is a wall.
    let obsView = view;
    for (let i = 0; i < 20; i++) {
      if (!env.actionMask('agent_0')[Action.Forward]) break;
      obsView = env.step({ agent_0: Action.Forward }).observations.agent_0!.view;
    }
    const k = 5;
    expect(obsView[((k - 2) * k + 2) * 3]).toBe(ViewObject.Wall);
    expect(s.alive).toBe(true);
  });

  it('renders ASCII, JSON and PNG and records byte-identical trajectories for a seed', () => {
    const run = () => {
      const env = new ForagingArena({ numAgents: 4, maxCycles: 30 });
      env.reset({ seed: 11 });
      const rec = new TrajectoryRecorder({ arena: 'foraging', seed: 11 });
      for (let t = 0; env.agents.length > 0; t++) {
        const actions = Object.fromEntries(env.agents.map((a, i) => [a, (t + i) % ACTIONS.length]));
        const legal = Object.fromEntries(
          Object.entries(actions).map(([a, act]) => [a, env.actionMask(a)[act] ? act : Action.Stay]),
        );
        rec.record(t, legal, env.step(legal), env.state().agents);
      }
      return { env, rec };
    };
    const a = run();
    const b = run();
    expect(a.rec.toJsonl()).toBe(b.rec.toJsonl());
    expect(a.rec.numLines).toBe(31);
    const ascii = renderAscii(a.env.state());
    expect(ascii.split('\n')[1]).toMatch(/^#+$/);
    expect(JSON.parse(renderJsonFrame(a.env.state())).agents).toHaveLength(4);
    const png = renderPng(a.env.state(), 8);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBe(16 * 8);
  });
});
