import type { Rng } from './Rng.ts';

/** A finite set of actions `0..n-1` (Gymnasium's `Discrete`). */
export interface DiscreteSpace {
  kind: 'discrete';
  n: number;
}

/** A box of numbers with per-element bounds (Gymnasium's `Box`), flattened row-major. */
export interface BoxSpace {
  kind: 'box';
  shape: number[];
  low: number;
  high: number;
  dtype: 'float32' | 'uint8' | 'int32';
}

/** A dictionary of named sub-spaces (Gymnasium's `Dict`). */
export interface DictSpace {
  kind: 'dict';
  spaces: Record<string, Space>;
}

export type Space = DiscreteSpace | BoxSpace | DictSpace;

/** True when `x` lies in `space` (what PettingZoo's API test checks for every observation). */
export function spaceContains(space: Space, x: unknown): boolean {
  switch (space.kind) {
    case 'discrete':
      return Number.isInteger(x) && (x as number) >= 0 && (x as number) < space.n;
    case 'box': {
      const size = space.shape.reduce((p, d) => p * d, 1);
      const arr = x as ArrayLike<number> | undefined;
      if (!arr || typeof arr !== 'object' || arr.length !== size) return false;
      for (let i = 0; i < size; i++) {
        const v = arr[i] as number;
        if (!(v >= space.low && v <= space.high)) return false;
      }
      return true;
    }
    case 'dict': {
      if (typeof x !== 'object' || x === null) return false;
      const rec = x as Record<string, unknown>;
      return Object.entries(space.spaces).every(([k, s]) => spaceContains(s, rec[k]));
    }
  }
}

/** A uniform sample of a discrete space, restricted to `mask` (1 = legal) when given. */
export function sampleDiscrete(space: DiscreteSpace, rng: Rng, mask?: ArrayLike<number>): number {
  if (!mask) return rng.int(space.n);
  const legal: number[] = [];
  for (let i = 0; i < space.n; i++) if (mask[i]) legal.push(i);
  return legal.length === 0 ? 0 : rng.pick(legal);
}
