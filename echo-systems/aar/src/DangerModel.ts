import { Esn, RidgeReadout } from '@dte/dtesn';
import type { Percept, ThingKind } from './AgentMind.ts';

/** Half-side of the north-up patch the membrane tree reads (5 × 5 around the agent). */
export const PATCH_RADIUS = 2;
const W = 2 * PATCH_RADIUS + 1;
/** The patch's channels, one indicator per cell each. */
export const PATCH_CHANNELS: readonly ThingKind[] = ['hazard', 'food', 'water', 'dry spring', 'wall', 'agent'];
/** Length of a patch vector (channels × cells) followed by the 9 body values. */
export const PATCH_DIM = PATCH_CHANNELS.length * W * W + 9;

/**
 * The world around the agent as its membrane tree reads it: a north-up 5 × 5 patch centred on it
 * (what is in view this tick; cells out of view are zero), one indicator per thing, then the body.
 * North-up, so that what is fixed stays put while the agent turns.
 */
export function patchOf(p: Percept): Float64Array {
  const v = new Float64Array(PATCH_DIM);
  const cells = W * W;
  for (const s of p.sightings) {
    const dx = s.x - p.position.x + PATCH_RADIUS;
    const dy = s.y - p.position.y + PATCH_RADIUS;
    if (dx < 0 || dy < 0 || dx >= W || dy >= W) continue;
    const c = PATCH_CHANNELS.indexOf(s.kind);
    if (c >= 0) v[c * cells + dy * W + dx] = 1;
  }
  const b = p.body;
  v.set(
    [b.energy, b.hydration, b.health, b.dEnergy, b.dHydration, b.dHealth, b.lastActionOk, b.collided, b.pain],
    PATCH_CHANNELS.length * cells,
  );
  return v;
}

/** Ticks of echo the reflex membrane reads (this tick and the two before). */
export const ECHO_TICKS = 3;
/** Half-side of the window around a cell whose echoes it reads. */
const WR = 2;
const WW = 2 * WR + 1;
const ECHO_DIM = ECHO_TICKS * WW * WW;
const DX = [0, 1, 0, -1];
const DY = [-1, 0, 1, 0];

/** One tick's hazard sightings, in world coordinates. */
export type HazardEcho = ReadonlyMap<number, boolean>;
const cellKey = (x: number, y: number) => y * 4096 + x;

/** The hazards among a percept's sightings (true) and the free cells seen (false). */
export function hazardEcho(p: Percept): HazardEcho {
  const m = new Map<number, boolean>();
  for (const s of p.sightings) if (s.kind !== 'unseen') m.set(cellKey(s.x, s.y), s.kind === 'hazard');
  return m;
}

/**
 * The DTESN's reflex membrane, shared by the agents of a run: will a hazard be on a given cell next
 * tick? It reads the echo of the last {@link ECHO_TICKS} ticks of hazard sightings in a 5 × 5 window
 * around the cell, re-projected onto where the agent is now and which way it faces (motion-compensated:
 * a patrol looks the same whether the agent walked, turned or stood), through a random reservoir (a
 * fixed nonlinear expansion) and a ridge readout over the reservoir state and the echo itself. One
 * network for every agent, so the readout learns online from all their experience: each tick pairs
 * what an agent's windows showed with what it then saw on their centre cells. Refitted every
 * `refitEvery` rows; predicts 0 until the first fit.
 */
export class DangerModel {
  private readonly esn: Esn;
  private readonly readout: RidgeReadout;
  private rows = 0;
  private fitted = false;

  constructor(
    seed: number,
    readonly units = 64,
    readonly refitEvery = 200,
    ridge = 0.1,
  ) {
    this.esn = new Esn({ units, inputDim: ECHO_DIM, spectralRadius: 0, leakRate: 1, inputScaling: 0.8, seed });
    this.readout = new RidgeReadout(units + ECHO_DIM, 1, ridge);
  }

  /**
   * The echo window around (cx, cy), its rows along `heading` (row 0 is the far side), from the
   * newest echo (`echoes[0]`) back; cells never seen read 0.
   */
  window(echoes: readonly HazardEcho[], cx: number, cy: number, heading: number): Float64Array {
    const x = new Float64Array(ECHO_DIM);
    const fx = DX[heading]!;
    const fy = DY[heading]!;
    const rx = DX[(heading + 1) % 4]!;
    const ry = DY[(heading + 1) % 4]!;
    for (let d = 0; d < ECHO_TICKS; d++) {
      const echo = echoes[d];
      if (!echo) continue;
      for (let a = -WR; a <= WR; a++) {
        for (let b = -WR; b <= WR; b++) {
          const wx = cx + a * fx + b * rx;
          const wy = cy + a * fy + b * ry;
          if (echo.get(cellKey(wx, wy))) x[d * WW * WW + (WR - a) * WW + (b + WR)] = 1;
        }
      }
    }
    return x;
  }

  /** The readout's input for a window: reservoir state, then the window. */
  features(window: Float64Array): Float64Array {
    this.esn.reset();
    const z = new Float64Array(this.units + ECHO_DIM);
    z.set(this.esn.step(window));
    z.set(window, this.units);
    return z;
  }

  /** Predicted hazard on the window's centre next tick, clipped to [0, 1]. */
  predict(z: Float64Array): number {
    if (!this.fitted) return 0;
    return Math.max(0, Math.min(1, this.readout.predict(z)[0]!));
  }

  /** Learns one outcome: the window's features then, and whether its centre held a hazard next tick. */
  learn(z: Float64Array, hazard: boolean): void {
    this.readout.partialFit(z, Float64Array.of(hazard ? 1 : 0));
    if (++this.rows % this.refitEvery === 0) {
      this.readout.fit();
      this.fitted = true;
    }
  }

  /** The cell in front of a position along a heading. */
  static ahead(x: number, y: number, heading: number): { x: number; y: number } {
    return { x: x + DX[heading]!, y: y + DY[heading]! };
  }
}
