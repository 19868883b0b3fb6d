import { describe, expect, it } from 'vitest';
import { ENGINE_ERRORS, EngineError } from './EngineError.ts';

describe('ENGINE_ERRORS', () => {
  it('every key equals its code and is a DTE_ERR_ code', () => {
    for (const [key, value] of Object.entries(ENGINE_ERRORS)) {
      expect(value).toBe(key);
      expect(key).toMatch(/^DTE_ERR_[A-Z0-9_]+$/);
    }
  });

  it('EngineError carries its code', () => {
    const err = new EngineError('DTE_ERR_GGUF_IO', 'x');
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('DTE_ERR_GGUF_IO');
  });
});
