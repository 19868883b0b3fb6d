import { SeededRng } from '../../engine/SeededRng.ts';
import type { JsonConstraint } from '../JsonConstraint.ts';
import type { ConstraintTokenizer } from '../TokenTrie.ts';

const enc = new TextEncoder();
/** Multi-byte pieces that cut across JSON structure (so masks must walk several automaton steps). */
const PIECES = [
  '{"',
  '":',
  '",',
  '"}',
  '},',
  '],',
  '[{',
  'true',
  'false',
  'null',
  ' the',
  'abc',
  '12',
  '0.',
  'e+',
  '\\u00',
  '"a',
  'a"',
  '""',
  '{}',
  '[]',
  ':"',
  ',"',
  'é',
  '\u00e9"',
];

/** A toy vocabulary: 256 byte tokens, some multi-byte pieces, one special and an EOS (last id). */
export function fakeTokenizer(): ConstraintTokenizer & { eosId: number; decode(ids: number[]): string } {
  const pieces: Uint8Array[] = [];
  for (let b = 0; b < 256; b++) pieces.push(Uint8Array.of(b));
  for (const p of PIECES) pieces.push(enc.encode(p));
  const specialId = pieces.length;
  pieces.push(enc.encode('<tool>'));
  const eosId = pieces.length;
  pieces.push(enc.encode('</s>'));
  return {
    vocabSize: pieces.length,
    eosId,
    tokenBytes: (id) => pieces[id]!,
    isSpecial: (id) => id === specialId || id === eosId,
    isEog: (id) => id === eosId,
    decode(ids) {
      const bytes = ids.filter((i) => i !== eosId).flatMap((i) => [...pieces[i]!]);
      return new TextDecoder().decode(Uint8Array.from(bytes));
    },
  };
}

/** A "random model": draws uniformly among the allowed tokens until EOS or `maxTokens`. */
export function randomWalk(
  c: JsonConstraint,
  tok: { eosId: number; decode(ids: number[]): string },
  seed: number,
  maxTokens: number,
): { text: string; ids: number[]; isStopped: boolean } {
  const rng = new SeededRng(seed);
  let state = c.initialState();
  const ids: number[] = [];
  for (let k = 0; k < maxTokens; k++) {
    const allowed = c.allowedTokens(state, maxTokens - k);
    if (allowed.length === 0) throw new Error('empty mask');
    const id = allowed[Math.floor(rng.nextFloat() * allowed.length)]!;
    ids.push(id);
    if (id === tok.eosId) return { text: tok.decode(ids), ids, isStopped: true };
    state = c.advance(state, id);
  }
  return { text: tok.decode(ids), ids, isStopped: false };
}
