import { describe, expect, it } from 'vitest';
import { AtomTypes } from './AtomTypes.ts';
import { HG_ERRORS, HypergraphError, hgError } from './errors.ts';

describe('hypergraph error registry', () => {
  it('every key equals its code and the factory builds typed errors', () => {
    for (const [key, spec] of Object.entries(HG_ERRORS)) {
      expect(spec.code).toBe(key);
      const e = hgError(key as keyof typeof HG_ERRORS, 'm', 1, 2);
      expect(e).toBeInstanceOf(HypergraphError);
      expect(e.code).toBe(key);
    }
  });

  it('AtomTypes validates definitions', () => {
    const t = new AtomTypes();
    expect(t.define('PlaceNode', 'ConceptNode')).toBe(t.define('PlaceNode', 'ConceptNode'));
    expect(() => t.define('PlaceNode', 'PredicateNode')).toThrow(HypergraphError);
    expect(() => t.define('bad name', 'Node')).toThrow(HypergraphError);
    expect(() => t.define('Root2', null)).toThrow(HypergraphError);
    expect(t.parent('PlaceNode')).toBe('ConceptNode');
    expect(t.custom()).toEqual([['PlaceNode', 'ConceptNode']]);
    expect(t.isNodeType(t.id('PlaceNode')) && t.isLinkType(t.id('AsymmetricHebbianLink'))).toBe(true);
  });
});
