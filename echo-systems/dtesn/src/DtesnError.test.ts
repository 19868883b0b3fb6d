import { DteError } from '@dte/echo-kit';
import { describe, expect, it } from 'vitest';
import { DTESN_ERRORS, DtesnError, dtesnError } from './DtesnError.ts';

describe('DTESN error registry', () => {
  it('has every key equal to its code', () => {
    for (const [key, spec] of Object.entries(DTESN_ERRORS)) expect(spec.code).toBe(key);
  });
  it('builds typed errors from the registry', () => {
    const e = dtesnError('DTE_ERR_DTESN_NOT_TRAINED', 'X.predict');
    expect(e).toBeInstanceOf(DtesnError);
    expect(e).toBeInstanceOf(DteError);
    expect(e.code).toBe('DTE_ERR_DTESN_NOT_TRAINED');
    expect(e.name).toBe('DtesnError');
  });
});
