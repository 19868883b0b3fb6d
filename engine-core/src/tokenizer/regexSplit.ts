import { CPT, cptFlags } from './unicodeFlags.ts';

/**
 * llama.cpp's general-purpose word splitting (unicode.cpp `unicode_regex_split`), for pre-tokenizers
 * that have no hand-written matcher: each regex in turn splits every current segment into its
 * matches and the text between them. A regex using `\p{..}` classes runs on a "collapsed" text where
 * each non-ASCII codepoint becomes one byte naming its class (letter, number, punctuation, mark,
 * symbol, whitespace, other); one without them runs on the codepoints, non-ASCII whitespace folded to
 * `\v`. Both run as ECMAScript regexes, the grammar llama.cpp gives `std::regex`. `\s` is narrowed to
 * the six ASCII spaces, as C++'s classic locale reads it.
 */

const COLLAPSED = { NUMBER: 0xd1, LETTER: 0xd2, PUNCT: 0xd3, MARK: 0xd4, SYMBOL: 0xd5, OTHER: 0xd0, SPACE: 0x0b };
const ch = (c: number) => String.fromCharCode(c);
// Class contents replacing `\p{X}`: the collapsed byte plus the ASCII members of the class.
const UCAT: Record<string, string> = {
  N: `${ch(COLLAPSED.NUMBER)}0-9`,
  L: `${ch(COLLAPSED.LETTER)}A-Za-z`,
  Lu: `${ch(COLLAPSED.LETTER)}A-Za-z`,
  Ll: `${ch(COLLAPSED.LETTER)}A-Za-z`,
  Lt: `${ch(COLLAPSED.LETTER)}A-Za-z`,
  Lm: `${ch(COLLAPSED.LETTER)}A-Za-z`,
  Lo: `${ch(COLLAPSED.LETTER)}A-Za-z`,
  P: `${ch(COLLAPSED.PUNCT)}!-#%-*,-/:-;?-@\\[-\\]_\\{\\}`,
  M: ch(COLLAPSED.MARK),
  S: `${ch(COLLAPSED.SYMBOL)}\\$\\+<->\\^\`\\|~`,
};
const SPACES = '\\t-\\r ';

function collapsedCode(cp: number): number {
  if (cp < 128) return cp;
  const f = cptFlags(cp);
  if (f & CPT.WHITESPACE) return COLLAPSED.SPACE;
  if (f & CPT.NUMBER) return COLLAPSED.NUMBER;
  if (f & CPT.LETTER) return COLLAPSED.LETTER;
  if (f & CPT.MARK) return COLLAPSED.MARK;
  if (f & CPT.PUNCT) return COLLAPSED.PUNCT;
  if (f & CPT.SYMBOL) return COLLAPSED.SYMBOL;
  return COLLAPSED.OTHER;
}

/** Rewrites `\p{X}` to collapsed classes (when `collapse`) and `\s`/`\S` to ASCII spaces. */
function translate(source: string, collapse: boolean): string {
  let out = '';
  let inside = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && i + 1 < source.length) {
      const n = source[i + 1]!;
      const m = collapse && n === 'p' ? /^\\p\{([A-Za-z]+)\}/.exec(source.slice(i)) : null;
      if (m && UCAT[m[1]!] !== undefined) {
        out += inside ? UCAT[m[1]!] : `[${UCAT[m[1]!]}]`;
        i += m[0].length - 1;
      } else if (n === 's') {
        out += inside ? SPACES : `[${SPACES}]`;
        i++;
      } else if (n === 'S' && !inside) {
        out += `[^${SPACES}]`;
        i++;
      } else {
        out += c + n;
        i++;
      }
      continue;
    }
    if (c === '[') inside = true;
    else if (c === ']') inside = false;
    out += c;
  }
  return out;
}

/** Compiled form of one llama.cpp pre-tokenizer regex. */
export interface CompiledSplitRegex {
  collapse: boolean;
  regex: RegExp;
}

/**
 * Compiles a llama.cpp pre-tokenizer regex for {@link regexSplit}.
 * @example compileSplitRegex('\\p{N}+')
 */
export function compileSplitRegex(source: string): CompiledSplitRegex {
  const collapse = /\\p\{/.test(source);
  return { collapse, regex: new RegExp(translate(source, collapse), collapse ? 'g' : 'gu') };
}

/**
 * Splits each segment (given by exclusive end offsets in codepoints) at the matches of `re`;
 * returns the new segment ends.
 * @example regexSplit(codepoints('ab12'), [4], compileSplitRegex('\\p{N}+')) // [2, 4]
 */
export function regexSplit(cps: Uint32Array, ends: readonly number[], re: CompiledSplitRegex): number[] {
  let text = '';
  // UTF-16 offset of each codepoint (collapsed text is one unit per codepoint).
  const unitOf = new Int32Array(cps.length + 1);
  for (let i = 0; i < cps.length; i++) {
    unitOf[i] = text.length;
    const cp = cps[i]!;
    if (re.collapse) text += ch(collapsedCode(cp));
    else text += cp > 0x7f && cptFlags(cp) & CPT.WHITESPACE ? '\v' : String.fromCodePoint(cp);
  }
  unitOf[cps.length] = text.length;
  const cpAt = new Int32Array(text.length + 1);
  for (let i = 0; i <= cps.length; i++) cpAt[unitOf[i]!] = i;

  const out: number[] = [];
  let start = 0;
  for (const end of ends) {
    const base = unitOf[start]!;
    const segment = text.substring(base, unitOf[end]!);
    let last = 0;
    re.regex.lastIndex = 0;
    for (let m = re.regex.exec(segment); m !== null; m = re.regex.exec(segment)) {
      if (m[0].length === 0) {
        // std::regex_iterator reports empty matches too: they split (e.g. superbpe's digit groups).
        if (m.index > last) {
          out.push(cpAt[base + m.index]!);
          last = m.index;
        }
        re.regex.lastIndex++;
        continue;
      }
      if (m.index > last) out.push(cpAt[base + m.index]!);
      last = m.index + m[0].length;
      out.push(cpAt[base + last]!);
    }
    if (last < segment.length) out.push(end);
    start = end;
  }
  return out;
}
