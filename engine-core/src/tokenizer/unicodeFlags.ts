/** Codepoint class bits used by the pre-tokenizers (llama.cpp's `unicode_cpt_flags` subset). */
export const CPT = { LETTER: 1, NUMBER: 2, WHITESPACE: 4, MARK: 8, PUNCT: 16, SYMBOL: 32, KNOWN: 0x80 } as const;

// Unicode White_Space, as llama.cpp's unicode_set_whitespace (JS `\s` also matches U+FEFF, which must not count).
const WHITESPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
  0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);
const LETTER = /^\p{L}$/u;
const NUMBER = /^\p{N}$/u;
const MARK = /^\p{M}$/u;
const PUNCT = /^\p{P}$/u;
const SYMBOL = /^\p{S}$/u;

// Codepoints assigned after the Unicode version of llama.cpp's tables (unicode-data.cpp): llama.cpp
// sees them as unassigned (neither letter, number nor mark), so we do too, whatever Unicode version
// this JS engine knows. Inclusive [first, last] pairs, from a comparison of the two over all codepoints.
// biome-ignore format: a table
const NEWER_THAN_LLAMA_CPP = Uint32Array.of(
  0x88f, 0x88f, 0x897, 0x897, 0xc5c, 0xc5c, 0xcdc, 0xcdc, 0x1acf, 0x1add, 0x1ae0, 0x1aeb, 0x1c89, 0x1c8a,
  0xa7cb, 0xa7cf, 0xa7d2, 0xa7d2, 0xa7d4, 0xa7d4, 0xa7da, 0xa7dc, 0xa7f1, 0xa7f1, 0x105c0, 0x105f3,
  0x10940, 0x10959, 0x10d40, 0x10d65, 0x10d69, 0x10d6d, 0x10d6f, 0x10d85, 0x10ec2, 0x10ec7, 0x10efa, 0x10efc,
  0x11380, 0x11389, 0x1138b, 0x1138b, 0x1138e, 0x1138e, 0x11390, 0x113b5, 0x113b7, 0x113c0, 0x113c2, 0x113c2,
  0x113c5, 0x113c5, 0x113c7, 0x113ca, 0x113cc, 0x113d3, 0x113e1, 0x113e2, 0x116d0, 0x116e3, 0x11b60, 0x11b67,
  0x11bc0, 0x11be0, 0x11bf0, 0x11bf9, 0x11db0, 0x11ddb, 0x11de0, 0x11de9, 0x11f5a, 0x11f5a, 0x13460, 0x143fa,
  0x16100, 0x16139, 0x16d40, 0x16d6c, 0x16d70, 0x16d79, 0x16ea0, 0x16eb8, 0x16ebb, 0x16ed3, 0x16ff2, 0x16ff6,
  0x187f8, 0x187ff, 0x18cff, 0x18cff, 0x18d09, 0x18d1e, 0x18d80, 0x18df2, 0x1ccf0, 0x1ccf9, 0x1e5d0, 0x1e5fa,
  0x1e6c0, 0x1e6de, 0x1e6e0, 0x1e6f5, 0x1e6fe, 0x1e6ff, 0x2b73a, 0x2b73f, 0x2cea2, 0x2cead, 0x323b0, 0x33479,
);

function isNewerThanLlamaCpp(cp: number): boolean {
  for (let i = 0; i < NEWER_THAN_LLAMA_CPP.length; i += 2) {
    if (cp < NEWER_THAN_LLAMA_CPP[i]!) return false;
    if (cp <= NEWER_THAN_LLAMA_CPP[i + 1]!) return true;
  }
  return false;
}

// Lazily filled per-codepoint cache: bit 0x80 says "computed".
const cache = new Uint8Array(0x110000);

function compute(cp: number): number {
  const s = String.fromCodePoint(cp);
  let f = CPT.KNOWN;
  if (!isNewerThanLlamaCpp(cp)) {
    if (LETTER.test(s)) f |= CPT.LETTER;
    if (NUMBER.test(s)) f |= CPT.NUMBER;
    if (MARK.test(s)) f |= CPT.MARK;
    if (PUNCT.test(s)) f |= CPT.PUNCT;
    if (SYMBOL.test(s)) f |= CPT.SYMBOL;
  }
  if (WHITESPACE.has(cp)) f |= CPT.WHITESPACE;
  cache[cp] = f;
  return f;
}

/**
 * Class bits of a codepoint (`\p{L}`, `\p{N}`, `\p{M}`, `\p{P}`, `\p{S}`, Unicode whitespace); cached.
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
