import { describe, expect, it } from 'vitest';
import { StopStringMatcher } from './StopStringMatcher.ts';

describe('StopStringMatcher', () => {
  it('finds a stop string split across pushes and holds back a possible prefix', () => {
    const m = new StopStringMatcher(['END']);
    expect(m.push('hello E')).toEqual({ text: 'hello ', isStopped: false });
    expect(m.push('N')).toEqual({ text: '', isStopped: false });
    expect(m.push('D tail')).toEqual({ text: '', isStopped: true });
  });

  it('releases held text when the prefix does not continue', () => {
    const m = new StopStringMatcher(['END']);
    expect(m.push('xE').text).toBe('x');
    expect(m.push('x').text).toBe('Ex');
    expect(m.push('EN').text).toBe('');
    expect(m.flush()).toBe('EN');
  });

  it('picks the earliest of several stop strings', () => {
    const m = new StopStringMatcher(['\n\n', 'bb']);
    expect(m.push('a bb c\n\nd')).toEqual({ text: 'a ', isStopped: true });
  });

  it('passes everything through without stop strings', () => {
    const m = new StopStringMatcher([]);
    expect(m.push('abc')).toEqual({ text: 'abc', isStopped: false });
  });
});
