import { describe, expect, it } from 'vitest';
import { createPrng } from './createPrng.ts';
import { DteError } from './DteError.ts';

describe('createPrng', () => {
  it('replays the same sequence for the same seed and differs across seeds', () => {
    const a = createPrng(7);
    const b = createPrng(7);
    const c = createPrng(8);
    const xs = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('restores state exactly and covers every bucket of nextInt', () => {
    const r = createPrng(1);
    r.next();
    const s = r.getState();
    const after = [r.next(), r.next()];
    r.setState(s);
    expect([r.next(), r.next()]).toEqual(after);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(r.nextInt(5));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(() => r.nextInt(0)).toThrow(RangeError);
  });

  it('DteError carries a stable code', () => {
    const e = new DteError('DTE_ERR_X', 'm');
    expect(e.code).toBe('DTE_ERR_X');
    expect(e).toBeInstanceOf(Error);
  });
});
