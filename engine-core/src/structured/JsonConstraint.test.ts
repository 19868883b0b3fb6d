import { schemaArbitrary } from '@dte/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ajvErrors } from '../../test/support/ajvErrors.ts';
import { compileSchema, toolCallNode } from './compileSchema.ts';
import { canEndJson, initialJsonState, type JsonState, stepJson } from './JsonAutomaton.ts';
import { JsonConstraint } from './JsonConstraint.ts';
import { TokenTrie } from './TokenTrie.ts';
import { fakeTokenizer, randomWalk } from './testing/fakeVocab.ts';
import { validateJson } from './validateJson.ts';

const tok = fakeTokenizer();

describe('JsonConstraint with a random "model"', () => {
  it('json_object: every walk ends with EOS and parses as an object', () => {
    const c = JsonConstraint.jsonObject(tok);
    for (let seed = 0; seed < 40; seed++) {
      const r = randomWalk(c, tok, seed, 60);
      expect(r.isStopped).toBe(true);
      const v = JSON.parse(r.text);
      expect(typeof v === 'object' && v !== null && !Array.isArray(v)).toBe(true);
    }
  });

  it('property: random schemas give outputs that parse and validate within max tokens', () => {
    fc.assert(
      fc.property(
        schemaArbitrary(),
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 0, max: 80 }),
        (schema, seed, extra) => {
          const c = JsonConstraint.fromSchema(schema, tok);
          // Enough tokens for the shortest document (one byte per token) plus the end token.
          const maxTokens = c.node.minLen + 1 + extra;
          const r = randomWalk(c, tok, seed, maxTokens);
          expect(r.isStopped).toBe(true);
          expect(r.ids.length).toBeLessThanOrEqual(maxTokens);
          const value = JSON.parse(r.text);
          expect(validateJson(value, schema)).toEqual([]);
          expect(ajvErrors(value, schema), r.text).toEqual([]);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it('emits declared properties in order and stops after the closing brace', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        age: { type: 'integer' },
        tags: { type: 'array', items: { enum: ['a', 'b'] }, minItems: 1 },
      },
      required: ['name', 'age', 'tags'],
      additionalProperties: false,
    };
    const c = JsonConstraint.fromSchema(schema, tok);
    for (let seed = 0; seed < 20; seed++) {
      const r = randomWalk(c, tok, seed, 40);
      const v = JSON.parse(r.text) as Record<string, unknown>;
      expect(Object.keys(v)).toEqual(['name', 'age', 'tags']);
      expect(validateJson(v, schema)).toEqual([]);
      expect(ajvErrors(v, schema), r.text).toEqual([]);
    }
  });

  it('only the end token is allowed once the document is complete', () => {
    const c = JsonConstraint.fromSchema({ type: 'boolean' }, tok);
    let s = c.initialState();
    for (const b of new TextEncoder().encode('true')) s = c.advance(s, b);
    expect([...c.allowedTokens(s, 10)]).toEqual([tok.eosId]);
  });

  it('accepts one optional space after a colon or a comma, never two, never elsewhere', () => {
    const node = compileSchema({
      type: 'object',
      properties: { a: { type: 'integer' }, b: { type: 'array', items: { type: 'integer' } }, c: {} },
      required: ['a', 'b', 'c'],
    });
    const accepts = (text: string): boolean => {
      let s: JsonState | null = initialJsonState(node);
      for (const b of new TextEncoder().encode(text)) {
        s = stepJson(s, b);
        if (s === null) return false;
      }
      return canEndJson(s);
    };
    expect(accepts('{"a": 1, "b": [1, 2], "c": {"x": [true, null]}}')).toBe(true);
    expect(accepts('{"a":1,"b":[1,2],"c":{}}')).toBe(true);
    expect(accepts('{"a":  1,"b":[],"c":0}')).toBe(false);
    expect(accepts('{ "a":1,"b":[],"c":0}')).toBe(false);
    expect(accepts('{"a":1 ,"b":[],"c":0}')).toBe(false);
  });

  it('a number at the top level may end or continue', () => {
    const c = JsonConstraint.fromSchema({ type: 'integer' }, tok);
    let s = c.initialState();
    s = c.advance(s, 0x31);
    const allowed = new Set(c.allowedTokens(s, 10));
    expect(allowed.has(tok.eosId)).toBe(true);
    expect(allowed.has(0x32)).toBe(true);
    expect(allowed.has(0x2e)).toBe(false); // no fraction for an integer
  });

  it('caches masks per automaton state', () => {
    const c = JsonConstraint.fromSchema({ type: 'array', items: { type: 'string' } }, tok);
    randomWalk(c, tok, 1, 60);
    randomWalk(c, tok, 2, 60);
    expect(c.stats.numCacheHits).toBeGreaterThan(0);
  });

  it('tight budget: the shortest document still completes', () => {
    const schema = {
      type: 'object',
      properties: { a: { type: 'array', items: { type: 'string' }, minItems: 2 } },
      required: ['a'],
    };
    const c = JsonConstraint.fromSchema(schema, tok);
    for (let seed = 0; seed < 20; seed++) {
      const r = randomWalk(c, tok, seed, c.node.minLen + 1);
      expect(r.isStopped).toBe(true);
      expect(validateJson(JSON.parse(r.text), schema)).toEqual([]);
      expect(ajvErrors(JSON.parse(r.text), schema), r.text).toEqual([]);
    }
  });
});

describe('tool calls', () => {
  it('property: a call names one of the tools and its arguments validate against that tool', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z_]{1,6}$/), schemaArbitrary(2)), {
          minLength: 1,
          maxLength: 3,
          selector: (t) => t[0],
        }),
        fc.integer({ min: 0, max: 1e6 }),
        (defs, seed) => {
          const tools = defs.map(([name, parameters]) => ({ name, parameters }));
          const c = new JsonConstraint(toolCallNode(tools), tok);
          const r = randomWalk(c, tok, seed, c.node.minLen + 1 + (seed % 40));
          expect(r.isStopped).toBe(true);
          const call = JSON.parse(r.text) as { name: string; arguments: unknown };
          expect(Object.keys(call)).toEqual(['name', 'arguments']);
          const tool = tools.find((t) => t.name === call.name);
          expect(tool).toBeDefined();
          expect(validateJson(call.arguments, tool!.parameters)).toEqual([]);
          expect(ajvErrors(call.arguments, tool!.parameters), r.text).toEqual([]);
        },
      ),
      { numRuns: 150, seed: 3 },
    );
  });

  it('rejects duplicate names', () => {
    expect(() =>
      toolCallNode([
        { name: 'a', parameters: {} },
        { name: 'a', parameters: {} },
      ]),
    ).toThrow(expect.objectContaining({ code: 'DTE_ERR_STRUCTURED_BAD_SCHEMA' }));
  });
});

describe('compileSchema', () => {
  it('rejects keywords outside the subset with a typed code', () => {
    for (const s of [
      { type: 'string', pattern: 'a+' },
      { anyOf: [{ type: 'string' }] },
      { $ref: '#/x' },
      { type: 'object', additionalProperties: { type: 'string' } },
    ]) {
      expect(() => compileSchema(s)).toThrow(
        expect.objectContaining({ code: 'DTE_ERR_STRUCTURED_UNSUPPORTED_SCHEMA' }),
      );
    }
  });

  it('rejects malformed schemas with a typed code', () => {
    for (const s of [
      null,
      3,
      { type: 'strin' },
      { enum: [] },
      { type: 'array', minItems: 3, maxItems: 1 },
      { type: 'object', properties: {}, required: ['x'] },
    ]) {
      expect(() => compileSchema(s)).toThrow(expect.objectContaining({ code: 'DTE_ERR_STRUCTURED_BAD_SCHEMA' }));
    }
  });
});

describe('TokenTrie', () => {
  it('holds every normal token once, reachable by its bytes, children sorted by byte', () => {
    const t = TokenTrie.of(tok);
    const seen = new Set<number>();
    for (let id = 0; id < tok.vocabSize; id++) {
      if (tok.isSpecial(id)) continue;
      let node = 0;
      for (const b of tok.tokenBytes(id)) {
        let next = -1;
        for (let c = t.childStart[node]!; c < t.childStart[node + 1]!; c++)
          if (t.childByte[c] === b) next = t.childNode[c]!;
        expect(next).toBeGreaterThan(0);
        node = next;
      }
      const here = [...t.tokenIds.subarray(t.tokenStart[node]!, t.tokenStart[node + 1]!)];
      expect(here).toContain(id);
      seen.add(id);
    }
    expect(t.tokenIds.length).toBe(seen.size);
    expect(t.eogIds).toEqual([tok.eosId]);
    for (let n = 0; n < t.numNodes; n++) {
      for (let c = t.childStart[n]! + 1; c < t.childStart[n + 1]!; c++)
        expect(t.childByte[c]!).toBeGreaterThan(t.childByte[c - 1]!);
    }
  });
});
