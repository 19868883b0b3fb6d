import type { Sighting, ThingKind } from './AgentMind.ts';

/**
 * What the agent last saw in a cell (an agent standing there counts as the ground under it), when,
 * how many ticks a hazard was seen there, and when another agent last stood there.
 */
export interface MapCell {
  kind: ThingKind;
  tick: number;
  hazards: number;
  agentTick: number;
}

/** A cell whose content changed between two sightings (a spring ran dry, food was eaten or regrew). */
export interface MapChange {
  x: number;
  y: number;
  from: ThingKind;
  to: ThingKind;
}

/** Distances from one cell over the map (Dijkstra), with the way back to it. */
export interface DistanceField {
  readonly from: { x: number; y: number };
  /** Path cost to (x, y), or Infinity when it cannot be reached. */
  cost(x: number, y: number): number;
  /** Cells stepped through to reach (x, y) (0 for the start), or Infinity. */
  steps(x: number, y: number): number;
  /** The path from the start to (x, y), start excluded, or undefined when unreachable. */
  path(x: number, y: number): Array<{ x: number; y: number }> | undefined;
}

const KEY = 4096;
const key = (x: number, y: number) => y * KEY + x;
const IMPASSABLE: ReadonlySet<ThingKind> = new Set(['wall', 'water', 'dry spring']);
/** Step costs: unknown ground is hopeful but dearer than known ground; a hazard is to be walked around. */
const COST = { ground: 1, unknown: 2, agent: 4, track: 6, hazard: 40 } as const;
const MARGIN = 3;

/**
 * An agent's remembered map: what it last saw in each cell and when, in world coordinates (x east,
 * y south), built from its own sightings only. It plans paths (Dijkstra; unknown cells are walkable
 * but cost more, remembered hazards and the tracks where hazards were seen are avoided, walls, water
 * and springs block) and finds the frontier of what it has seen.
 * @example const field = map.distances({ x: 3, y: 4 }, tick); field.steps(9, 2)
 */
export class CognitiveMap {
  private readonly cells = new Map<number, MapCell>();
  private minX = Number.POSITIVE_INFINITY;
  private minY = Number.POSITIVE_INFINITY;
  private maxX = Number.NEGATIVE_INFINITY;
  private maxY = Number.NEGATIVE_INFINITY;

  /** Number of cells ever seen. */
  get size(): number {
    return this.cells.size;
  }

  /** Records what is in view; returns the cells whose content changed since they were last seen. */
  observe(sightings: readonly Sighting[], tick: number): MapChange[] {
    const changes: MapChange[] = [];
    for (const s of sightings) {
      if (s.kind === 'unseen') continue;
      const k = key(s.x, s.y);
      const old = this.cells.get(k);
      const isAgent = s.kind === 'agent';
      // An agent stands on walkable ground (or on food): keep what was under it.
      const kind: ThingKind = isAgent ? (old?.kind ?? 'ground') : s.kind;
      if (old && old.kind !== kind) changes.push({ x: s.x, y: s.y, from: old.kind, to: kind });
      const hazards = (old?.hazards ?? 0) + (kind === 'hazard' ? 1 : 0);
      this.cells.set(k, { kind, tick, hazards, agentTick: isAgent ? tick : (old?.agentTick ?? -1) });
      this.minX = Math.min(this.minX, s.x);
      this.minY = Math.min(this.minY, s.y);
      this.maxX = Math.max(this.maxX, s.x);
      this.maxY = Math.max(this.maxY, s.y);
    }
    return changes;
  }

  /** What was last seen at (x, y), if anything. */
  get(x: number, y: number): MapCell | undefined {
    return this.cells.get(key(x, y));
  }

  /** Forgets everything (an agent without memory starts every tick from what it sees). */
  clear(): void {
    this.cells.clear();
    this.minX = this.minY = Number.POSITIVE_INFINITY;
    this.maxX = this.maxY = Number.NEGATIVE_INFINITY;
  }

  /** Every remembered cell holding one of `kinds`. */
  cellsOf(kinds: ReadonlySet<ThingKind>): Array<{ x: number; y: number; cell: MapCell }> {
    const out: Array<{ x: number; y: number; cell: MapCell }> = [];
    for (const [k, cell] of this.cells)
      if (kinds.has(cell.kind)) out.push({ x: k % KEY, y: Math.floor(k / KEY), cell });
    return out.sort((a, b) => a.y - b.y || a.x - b.x);
  }

  /** True when (x, y) can be stepped on as far as the agent knows (unknown cells can). */
  walkable(x: number, y: number): boolean {
    if (x < 0 || y < 0) return false;
    const c = this.cells.get(key(x, y));
    return c === undefined || !IMPASSABLE.has(c.kind);
  }

  /** Dijkstra from `from` over the remembered region and a margin of unknown cells around it. */
  distances(from: { x: number; y: number }, tick: number): DistanceField {
    const x0 = Math.max(0, Math.min(this.minX, from.x) - MARGIN);
    const y0 = Math.max(0, Math.min(this.minY, from.y) - MARGIN);
    const x1 = Math.max(this.maxX, from.x) + MARGIN;
    const y1 = Math.max(this.maxY, from.y) + MARGIN;
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    const n = w * h;
    const cost = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    const steps = new Int32Array(n).fill(-1);
    const parent = new Int32Array(n).fill(-1);
    const stepCost = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = x0 + (i % w);
      const y = y0 + Math.floor(i / w);
      const c = this.cells.get(key(x, y));
      if (c === undefined) stepCost[i] = COST.unknown;
      else if (IMPASSABLE.has(c.kind)) stepCost[i] = Number.POSITIVE_INFINITY;
      else if (c.kind === 'hazard') stepCost[i] = COST.hazard;
      else if (tick - c.agentTick <= 1) stepCost[i] = COST.agent;
      else stepCost[i] = c.hazards > 0 ? COST.track : COST.ground;
    }
    // Dial's algorithm: integer step costs, so a bucket per cost level.
    const start = (from.y - y0) * w + (from.x - x0);
    const buckets: number[][] = [[start]];
    cost[start] = 0;
    steps[start] = 0;
    for (let d = 0; d < buckets.length; d++) {
      const bucket = buckets[d];
      if (!bucket) continue;
      for (let b = 0; b < bucket.length; b++) {
        const i = bucket[b]!;
        if (cost[i] !== d) continue;
        const x = i % w;
        const y = (i - x) / w;
        for (let dir = 0; dir < 4; dir++) {
          const nx = x + (dir === 1 ? 1 : dir === 3 ? -1 : 0);
          const ny = y + (dir === 2 ? 1 : dir === 0 ? -1 : 0);
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const j = ny * w + nx;
          const c = d + stepCost[j]!;
          if (c < cost[j]!) {
            cost[j] = c;
            steps[j] = steps[i]! + 1;
            parent[j] = i;
            const bucket = buckets[c];
            if (bucket) bucket.push(j);
            else buckets[c] = [j];
          }
        }
      }
      buckets[d] = [];
    }
    const index = (x: number, y: number) => (x < x0 || y < y0 || x > x1 || y > y1 ? -1 : (y - y0) * w + (x - x0));
    return {
      from: { x: from.x, y: from.y },
      cost: (x, y) => {
        const i = index(x, y);
        return i < 0 ? Number.POSITIVE_INFINITY : cost[i]!;
      },
      steps: (x, y) => {
        const i = index(x, y);
        return i < 0 || steps[i]! < 0 ? Number.POSITIVE_INFINITY : steps[i]!;
      },
      path: (x, y) => {
        let i = index(x, y);
        if (i < 0 || !Number.isFinite(cost[i]!)) return undefined;
        const out: Array<{ x: number; y: number }> = [];
        while (i !== start) {
          out.push({ x: x0 + (i % w), y: y0 + Math.floor(i / w) });
          i = parent[i]!;
        }
        return out.reverse();
      },
    };
  }

  /**
   * The frontier: walkable known cells next to an unknown one (where exploring leads), each with the
   * count of unknown cells around it within 2 steps.
   */
  frontier(): Array<{ x: number; y: number; unknown: number }> {
    const out: Array<{ x: number; y: number; unknown: number }> = [];
    for (const [k, cell] of this.cells) {
      if (IMPASSABLE.has(cell.kind) || cell.kind === 'hazard') continue;
      const x = k % KEY;
      const y = Math.floor(k / KEY);
      let unknown = 0;
      let touches = false;
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) {
          if (x + dx < 0 || y + dy < 0 || this.cells.has(key(x + dx, y + dy))) continue;
          unknown++;
          if (Math.abs(dx) + Math.abs(dy) === 1) touches = true;
        }
      }
      if (touches) out.push({ x, y, unknown });
    }
    return out.sort((a, b) => a.y - b.y || a.x - b.x);
  }
}

/** Compass words for a displacement (x east, y south): `north`, `south-east`, … or `here`. */
export function compassOf(dx: number, dy: number): string {
  if (dx === 0 && dy === 0) return 'here';
  const ns = dy < 0 ? 'north' : 'south';
  const ew = dx > 0 ? 'east' : 'west';
  if (Math.abs(dx) * 2 < Math.abs(dy)) return ns;
  if (Math.abs(dy) * 2 < Math.abs(dx)) return ew;
  return `${ns}-${ew}`;
}
