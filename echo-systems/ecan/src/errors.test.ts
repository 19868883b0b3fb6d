import { describe, expect, it } from 'vitest';
import { DEFAULT_ECAN_PARAMS, resolveEcanParams } from './EcanParams.ts';
import { ECAN_ERRORS, EcanError, ecanError } from './errors.ts';

describe('ECAN errors and params', () => {
  it('every key equals its code', () => {
    for (const [key, spec] of Object.entries(ECAN_ERRORS)) {
      expect(spec.code).toBe(key);
      const e = ecanError(key as keyof typeof ECAN_ERRORS, 'x', 'y');
      expect(e).toBeInstanceOf(EcanError);
      expect(e.code).toBe(key);
    }
  });

  it("defaults are OpenCog's and bad params are rejected", () => {
    expect(DEFAULT_ECAN_PARAMS).toMatchObject({
      startingFundsSti: 100_000,
      targetSti: 10_000,
      stiFundsBuffer: 10_000,
      stiWage: 10,
      stiRent: 1,
      focusSize: 100,
      maxSpreadPercentage: 0.4,
      hebbianMaxAllocation: 0.05,
      maxHebbianLinks: 300,
      localFarLinkRatio: 10,
    });
    expect(resolveEcanParams({ focusSize: 7 }).focusSize).toBe(7);
    const bad = [
      { focusSize: 0 },
      { stiRent: -1 },
      { maxSpreadPercentage: 2 },
      { rentScope: 'x' },
      { stiWage: Number.NaN },
    ];
    for (const b of bad) {
      expect(() => resolveEcanParams(b as never)).toThrow(expect.objectContaining({ code: 'DTE_ERR_ECAN_BAD_PARAMS' }));
    }
  });
});
