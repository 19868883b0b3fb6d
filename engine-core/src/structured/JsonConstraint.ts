import type { TokenConstraint } from '../engine/TokenConstraint.ts';
import { compileSchema, FREE_OBJECT_NODE, type SchemaNode } from './compileSchema.ts';
import { canEndJson, initialJsonState, type JsonState, jsonStateKey, stepJson } from './JsonAutomaton.ts';
import { type ConstraintTokenizer, TokenTrie } from './TokenTrie.ts';

/** Tokens that may follow one automaton state, with the completion distance each leaves. */
interface StepMask {
  ids: Int32Array;
  /** Fewest bytes to finish the document after each token of `ids`. */
  dists: Int32Array;
  /** Smallest of `dists`. */
  minDist: number;
  /** Largest of `dists`. */
  maxDist: number;
  /** `ids` plus the end tokens when the document may end (the answer when the budget does not bind). */
  idsWithEnd: Int32Array;
  canEnd: boolean;
}

/** Counters of a constraint's mask computations (for benchmarks and tests). */
export interface JsonConstraintStats {
  numMasks: number;
  numCacheHits: number;
  numAutomatonSteps: number;
}

const MAX_CACHED_MASKS = 4096;

/**
 * Constrained decoding of JSON that validates against a schema (the supported subset of
 * `compileSchema`). Masks come from walking the vocabulary's byte trie through the pushdown
 * automaton once per step (shared prefixes are stepped once) and are cached per automaton state.
 * Every step keeps the document finishable within the tokens left: a token is allowed only if the
 * shortest completion after it (one byte per token, plus the end token) still fits.
 * @example
 * const c = JsonConstraint.fromSchema({ type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] }, tokenizer);
 * engine.addRequest({ prompt, sampling: { constraint: c, maxTokens: 64 } });
 */
export class JsonConstraint implements TokenConstraint<JsonState> {
  readonly node: SchemaNode;
  readonly trie: TokenTrie;
  readonly stats: JsonConstraintStats = { numMasks: 0, numCacheHits: 0, numAutomatonSteps: 0 };
  private readonly cache = new Map<string, StepMask>();
  private readonly tokenBytes: (id: number) => Uint8Array;

  constructor(node: SchemaNode, tokenizer: ConstraintTokenizer) {
    this.node = node;
    this.trie = TokenTrie.of(tokenizer);
    this.tokenBytes = (id) => tokenizer.tokenBytes(id);
  }

  /** A constraint for a JSON schema (throws `DTE_ERR_STRUCTURED_*` outside the subset). */
  static fromSchema(schema: unknown, tokenizer: ConstraintTokenizer): JsonConstraint {
    return new JsonConstraint(compileSchema(schema), tokenizer);
  }

  /** OpenAI's `{"type": "json_object"}`: any JSON object. */
  static jsonObject(tokenizer: ConstraintTokenizer): JsonConstraint {
    return new JsonConstraint(FREE_OBJECT_NODE, tokenizer);
  }

  initialState(): JsonState {
    return initialJsonState(this.node);
  }

  /** The returned array may be shared with the cache: do not modify it. */
  allowedTokens(state: JsonState, numTokensLeft: number): Int32Array {
    const m = this.maskOf(state);
    const eog = m.canEnd ? this.trie.eogIds : [];
    // After this token, numTokensLeft - 1 remain: room for the closing bytes (one per token) and the end token.
    const budget = numTokensLeft - 2;
    if (m.minDist > budget) {
      // Cannot finish in time whatever we do: end now if possible, else take the shortest way.
      if (eog.length > 0) return Int32Array.from(eog);
      return m.ids.filter((_, i) => m.dists[i] === m.minDist);
    }
    if (m.maxDist <= budget) return m.idsWithEnd;
    let n = 0;
    for (let i = 0; i < m.dists.length; i++) if (m.dists[i]! <= budget) n++;
    const out = new Int32Array(n + eog.length);
    let k = 0;
    for (let i = 0; i < m.ids.length; i++) if (m.dists[i]! <= budget) out[k++] = m.ids[i]!;
    for (const e of eog) out[k++] = e;
    return out;
  }

  advance(state: JsonState, tokenId: number): JsonState {
    if (this.trie.eogIds.includes(tokenId)) return state;
    let s: JsonState | null = state;
    for (const b of this.tokenBytes(tokenId)) {
      s = stepJson(s, b);
      // A token outside the mask (e.g. a sampler fallback): keep the last good state.
      if (s === null) return state;
    }
    return s;
  }

  /** True when the document may end after `state`. */
  canEnd(state: JsonState): boolean {
    return canEndJson(state);
  }

  private maskOf(state: JsonState): StepMask {
    this.stats.numMasks++;
    const key = jsonStateKey(state);
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.stats.numCacheHits++;
      return hit;
    }
    const m = this.walk(state);
    if (this.cache.size >= MAX_CACHED_MASKS) this.cache.clear();
    this.cache.set(key, m);
    return m;
  }

  /** Depth-first walk of the trie, stepping the automaton once per trie edge. */
  private walk(state: JsonState): StepMask {
    const t = this.trie;
    const ids: number[] = [];
    const dists: number[] = [];
    let minDist = Number.POSITIVE_INFINITY;
    let maxDist = 0;
    const nodes: number[] = [0];
    const states: JsonState[] = [state];
    let steps = 0;
    while (nodes.length > 0) {
      const node = nodes.pop()!;
      const s = states.pop()!;
      for (let c = t.childStart[node]!; c < t.childStart[node + 1]!; c++) {
        steps++;
        const next = stepJson(s, t.childByte[c]!);
        if (next === null) continue;
        const child = t.childNode[c]!;
        const d = next.dist;
        for (let k = t.tokenStart[child]!; k < t.tokenStart[child + 1]!; k++) {
          ids.push(t.tokenIds[k]!);
          dists.push(d);
          if (d < minDist) minDist = d;
          if (d > maxDist) maxDist = d;
        }
        if (t.childStart[child + 1]! > t.childStart[child]!) {
          nodes.push(child);
          states.push(next);
        }
      }
    }
    this.stats.numAutomatonSteps += steps;
    const canEnd = canEndJson(state);
    const idsWithEnd = Int32Array.from(canEnd ? [...ids, ...t.eogIds] : ids);
    return { ids: Int32Array.from(ids), dists: Int32Array.from(dists), minDist, maxDist, idsWithEnd, canEnd };
  }
}
