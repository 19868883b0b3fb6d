import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expertPolicy } from '../src/foraging/expertPolicy.ts';
import {
  Action,
  Cell,
  DEFAULT_FORAGING_CONFIG,
  ForagingArena,
  type ForagingObservation,
  foragingConfigFor,
  foragingWorldSize,
  OASES_FORAGING_CONFIG,
  renderAscii,
  ViewObject,
} from '../src/index.ts';
import { maxCyclesTest, parallelApiTest, parallelSeedTest } from './parallelConformance.ts';

const DX = [0, 1, 0, -1];
const DY = [-1, 0, 1, 0];

describe('PettingZoo conformance: foraging (oases)', () => {
  const make = (maxCycles = 300) => new ForagingArena(foragingConfigFor('oases', 6, { maxCycles }));
  it('passes the parallel API test', () => parallelApiTest(make(), 400));
  it('passes the seed test', () => parallelSeedTest(() => make(), 200));
  it('passes the max-cycles test', () => maxCyclesTest((n) => make(n)));
});

describe('the oases world', () => {
  it('is sized for its agents and scales its patrols with the area', () => {
    expect(foragingWorldSize('oases', 4)).toBe(OASES_FORAGING_CONFIG.width);
    expect(foragingWorldSize('oases', 64)).toBe(Math.ceil(Math.sqrt(64 * 48)));
    expect(foragingWorldSize('classic', 32)).toBe(Math.ceil(Math.sqrt(32 * 40)));
    const big = foragingConfigFor('oases', 64);
    expect(big.movingHazards).toBeGreaterThan(OASES_FORAGING_CONFIG.movingHazards);
    expect(foragingConfigFor('oases', 4, { maxCycles: 9 }).maxCycles).toBe(9);
  });

  it('rejects bad oases settings with DTE_ERR_ARENA_BAD_CONFIG', () => {
    const bad = expect.objectContaining({ code: 'DTE_ERR_ARENA_BAD_CONFIG' });
    expect(() => new ForagingArena({ waterCapacity: -1 })).toThrow(bad);
    expect(() => new ForagingArena({ waterCapacity: 2, waterRefillTicks: 0 })).toThrow(bad);
    expect(() => new ForagingArena({ movingHazards: 1.5 })).toThrow(bad);
    expect(() => new ForagingArena({ patrolLength: 1 })).toThrow(bad);
    expect(() => new ForagingArena({ needRateSpread: 1 })).toThrow(bad);
  });

  it('keeps the classic world exactly as it was (same seeds, same runs)', () => {
    // Fingerprint of two 120-tick classic runs under the expert, taken before the oases features existed.
    const h = createHash('sha256');
    for (const seed of [1, 7]) {
      const env = new ForagingArena({ numAgents: 6, maxCycles: 120 });
      let { observations } = env.reset({ seed });
      for (let t = 0; t < 120 && env.agents.length; t++) {
        const actions: Record<string, number> = {};
        for (const id of env.agents) actions[id] = expertPolicy(observations[id]!, env.config.viewSize);
        const r = env.step(actions);
        observations = r.observations;
        const st = env.state();
        h.update(
          JSON.stringify({
            g: st.grid,
            a: st.agents.map((a) => [a.x, a.y, a.heading, a.energy, a.hydration, a.health]),
            r: r.rewards,
            t: Object.values(observations).map((o) => o.text),
          }),
        );
      }
    }
    expect(h.digest('hex')).toBe('004882ecd7b500be611b146245f9efe1f7dbf952c8e528785287f8e7d4688699');
  });

  it('a spring gives waterCapacity drinks, runs dry (no drinking, no walking in) and fills up again', () => {
    const env = new ForagingArena({
      ...DEFAULT_FORAGING_CONFIG,
      numAgents: 1,
      waterDensity: 0.3,
      wallDensity: 0,
      hazardDensity: 0,
      foodDensity: 0,
      waterCapacity: 2,
      waterRefillTicks: 5,
      hydrationDecay: 0.2,
    });
    env.reset({ seed: 3 });
    // Find water in front (dense map): turn, or step when nothing is in front.
    for (let t = 0; t < 60 && !env.actionMask('agent_0')[Action.Drink]; t++) {
      env.step({
        agent_0: t % 5 === 4 && env.actionMask('agent_0')[Action.Forward] ? Action.Forward : Action.TurnLeft,
      });
    }
    expect(env.actionMask('agent_0')[Action.Drink]).toBe(1);
    const me = () => env.state().agents[0]!;
    const spring = (me().y + DY[me().heading]!) * env.config.width + me().x + DX[me().heading]!;
    expect(env.step({ agent_0: Action.Drink }).infos.agent_0!.drank).toBe(true);
    expect(env.state().grid[spring]).toBe(Cell.Water);
    const last = env.step({ agent_0: Action.Drink });
    expect(last.infos.agent_0!.drank).toBe(true);
    expect(env.state().grid[spring]).toBe(Cell.DrySpring);
    const mask = env.actionMask('agent_0');
    expect([mask[Action.Drink], mask[Action.Forward]]).toEqual([0, 0]);
    const k = env.config.viewSize;
    expect(last.observations.agent_0!.view[((k - 2) * k + (k - 1) / 2) * 3]).toBe(ViewObject.DrySpring);
    expect(last.observations.agent_0!.text).toMatch(/a dry spring right in front/);
    expect(renderAscii(env.state())).toContain('o');
    // waterRefillTicks counts the tick it ran dry, as regrowTicks counts the tick food was eaten.
    for (let t = 0; t < 3; t++) env.step({ agent_0: Action.Stay });
    expect(env.state().grid[spring]).toBe(Cell.DrySpring);
    env.step({ agent_0: Action.Stay });
    expect(env.state().grid[spring]).toBe(Cell.Water);
    expect(env.actionMask('agent_0')[Action.Drink]).toBe(1);
  });

  it('patrolling hazards move one cell per tick along straight tracks, turn back at the ends and hurt', () => {
    const env = new ForagingArena(foragingConfigFor('oases', 4, { movingHazards: 8, hazardDensity: 0 }));
    env.reset({ seed: 5 });
    const hazards = () => env.state().grid.flatMap((c, i) => (c === Cell.Hazard ? [i] : []));
    let before = hazards();
    expect(before.length).toBe(8);
    const visited = new Set<number>(before);
    for (let t = 0; t < 30; t++) {
      env.step({});
      const now = hazards();
      expect(now.length).toBe(8);
      // Each hazard moved to a 4-neighbour of where one was (tracks are straight, one step a tick).
      for (const p of now) {
        const moved = before.some((q) => Math.abs(q - p) === 1 || Math.abs(q - p) === env.config.width);
        expect(moved, `hazard at ${p}`).toBe(true);
        visited.add(p);
      }
      before = now;
    }
    // Bouncing along tracks of patrolLength cells: every track cell is visited within two sweeps.
    expect(visited.size).toBe(8 * env.config.patrolLength);
  });

  it('a patrol that moves onto an agent hurts it', () => {
    let hurt = false;
    for (let seed = 1; seed < 40 && !hurt; seed++) {
      const env = new ForagingArena(foragingConfigFor('oases', 16, { movingHazards: 40, hazardDensity: 0 }));
      env.reset({ seed });
      for (let t = 0; t < 40 && !hurt; t++) {
        // Agents walk (tracks avoid the spawn cells), turning when blocked.
        const walk = Object.fromEntries(
          env.agents.map((id) => [id, env.actionMask(id)[Action.Forward] ? Action.Forward : Action.TurnLeft]),
        );
        const r = env.step(walk);
        for (const [id, info] of Object.entries(r.infos)) {
          if (info.onHazard) {
            hurt = true;
            expect(r.rewards[id]).toBeLessThanOrEqual(-1 + 1e-9);
            expect(r.observations[id]!.text).toMatch(/in pain from a hazard/);
          }
        }
      }
    }
    expect(hurt).toBe(true);
  });

  it('bodies get their own metabolism: decay rates differ and scale the world’s', () => {
    const env = new ForagingArena(foragingConfigFor('oases', 8, { foodDensity: 0, waterDensity: 0 }));
    const { observations } = env.reset({ seed: 2 });
    const rates = env.state().agents.map((a) => a.needRates);
    expect(new Set(rates.map((r) => r.energy.toFixed(6))).size).toBe(8);
    for (const r of rates) {
      for (const v of [r.energy, r.hydration]) {
        expect(v).toBeGreaterThanOrEqual(1 - OASES_FORAGING_CONFIG.needRateSpread);
        expect(v).toBeLessThanOrEqual(1 + OASES_FORAGING_CONFIG.needRateSpread);
      }
    }
    const h0 = env.state().agents.map((a) => a.hydration);
    env.step({});
    env.state().agents.forEach((a, i) => {
      expect(h0[i]! - a.hydration).toBeCloseTo(env.config.hydrationDecay * rates[i]!.hydration, 10);
    });
    // And the observation says where each agent is and which way it faces.
    const o: ForagingObservation = observations.agent_0!;
    const s = env.state().agents[0]!;
    expect(o.position).toEqual([s.x, s.y]);
    expect(o.heading).toBe(s.heading);
  });
});
