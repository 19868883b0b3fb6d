import { describe, expect, it } from 'vitest';
import { TRAINER_ERRORS, TrainerError } from './TrainerError.ts';

describe('TrainerError', () => {
  it('every registry key equals its code', () => {
    for (const [k, v] of Object.entries(TRAINER_ERRORS)) expect(k).toBe(v);
    expect(new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', 'x').code).toBe('DTE_ERR_TRAINER_BAD_OPTIONS');
  });
});
