import { describe, expect, it } from 'vitest';
import { createPrng } from './createPrng.ts';
import { DteError } from './DteError.ts';
import { KIT_ERRORS, KitError, kitError } from './KitError.ts';

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
    const bad = expect.objectContaining({ code: 'DTE_ERR_KIT_BAD_ARGUMENT', name: 'KitError' });
    for (const n of [0, -1, 2.5, Number.NaN]) expect(() => r.nextInt(n)).toThrow(bad);
    expect(() => createPrng(Number.POSITIVE_INFINITY)).toThrow(bad);
  });

  it('the kit registry: every key equals its code; kitError builds a DteError', () => {
    for (const [key, spec] of Object.entries(KIT_ERRORS)) expect(spec.code).toBe(key);
    const e = kitError('DTE_ERR_KIT_BAD_ARGUMENT', 'f', 'why');
    expect(e).toBeInstanceOf(KitError);
    expect(e).toBeInstanceOf(DteError);
    expect(e.message).toBe('f: why');
  });

  it('DteError carries a stable code', () => {
    const e = new DteError('DTE_ERR_X', 'm');
    expect(e.code).toBe('DTE_ERR_X');
    expect(e).toBeInstanceOf(Error);
  });
});
