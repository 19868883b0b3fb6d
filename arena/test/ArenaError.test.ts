import { describe, expect, it } from 'vitest';
import { ARENA_ERRORS, ArenaError, encodePng, Rng } from '../src/index.ts';

describe('arena error registry', () => {
  it('has every key equal to its code', () => {
    for (const [key, code] of Object.entries(ARENA_ERRORS)) expect(code).toBe(key);
  });

  it('bad arguments throw DTE_ERR_ARENA_BAD_ARGUMENT', () => {
    const bad = expect.objectContaining({ code: 'DTE_ERR_ARENA_BAD_ARGUMENT', name: 'ArenaError' });
    expect(() => new Rng(1).pick([])).toThrow(bad);
    expect(new Rng(1).pick(['only'])).toBe('only');
    expect(() => encodePng(2, 2, new Uint8Array(11))).toThrow(bad);
    expect(encodePng(2, 2, new Uint8Array(12)).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(() => new Rng(1).pick([])).toThrow(ArenaError);
  });
});
