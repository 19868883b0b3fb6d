/** Codepoint class bits used by the pre-tokenizers (llama.cpp's `unicode_cpt_flags` subset). */
export const CPT = { LETTER: 1, NUMBER: 2, WHITESPACE: 4, MARK: 8, KNOWN: 0x80 } as const;

// Unicode White_Space, as llama.cpp's unicode_set_whitespace (JS `\s` also matches U+FEFF, which must not count).
const WHITESPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
  0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);
const LETTER = /^\p{L}$/u;
const NUMBER = /^\p{N}$/u;
const MARK = /^\p{M}$/u;

// Lazily filled per-codepoint cache: bit 0x80 says "computed".
const cache = new Uint8Array(0x110000);

function compute(cp: number): number {
  const s = String.fromCodePoint(cp);
  let f = CPT.KNOWN;
  if (LETTER.test(s)) f |= CPT.LETTER;
  if (NUMBER.test(s)) f |= CPT.NUMBER;
  if (MARK.test(s)) f |= CPT.MARK;
  if (WHITESPACE.has(cp)) f |= CPT.WHITESPACE;
  cache[cp] = f;
  return f;
}

/**
 * Class bits of a codepoint (letter `\p{L}`, number `\p{N}`, mark `\p{M}`, Unicode whitespace); cached.
 * @example (cptFlags(0x41) & CPT.LETTER) !== 0
 */
export function cptFlags(cp: number): number {
  const f = cache[cp]!;
  return f !== 0 ? f : compute(cp);
}

/**
 * The codepoints of a string; lone surrogates become U+FFFD (what UTF-8 encoding would write).
 * @example codepoints('a😀') // Uint32Array [0x61, 0x1f600]
 */
export function codepoints(text: string): Uint32Array {
  const out = new Uint32Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out[n++] = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        continue;
      }
    }
    out[n++] = c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
  }
  return out.subarray(0, n);
}
