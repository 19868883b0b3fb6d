import { EngineError } from '../EngineError.ts';
import { CUSTOM_REGEXES, type PreTokenizerKind } from './preTokenizerFor.ts';
import { type CompiledSplitRegex, compileSplitRegex, regexSplit } from './regexSplit.ts';
import { CPT, cptFlags } from './unicodeFlags.ts';

const OUT = 0xffffffff;
const APOS = 0x27;
const SPACE = 0x20;
const CR = 0x0d;
const LF = 0x0a;
const lower = (c: number) => (c >= 0x41 && c <= 0x5a ? c + 32 : c);

/**
 * Splits codepoints into words; returns the exclusive end offset of each word.
 * @example splitWords(codepoints('Hello world'), 'gpt2') // [5, 11]
 */
export function splitWords(cps: Uint32Array, kind: PreTokenizerKind): number[] {
  if (kind === 'regex')
    throw new EngineError('DTE_ERR_TOKENIZER_UNSUPPORTED', 'splitWords: regex pre-tokenizers need splitWordsByRegexes');
  const ends: number[] = [];
  if (kind === 'starcoder') {
    let start = 0;
    for (let i = 0; i < cps.length; i++) {
      if (cptFlags(cps[i]!) & CPT.NUMBER) {
        if (i > start) splitRange(cps, start, i, 'gpt2', ends);
        ends.push(i + 1);
        start = i + 1;
      }
    }
    if (start < cps.length) splitRange(cps, start, cps.length, 'gpt2', ends);
    return ends;
  }
  splitRange(cps, 0, cps.length, kind, ends);
  return ends;
}

/**
 * Applies llama.cpp's regex list in turn, each splitting the segments the previous ones left.
 * @example splitWordsByRegexes(codepoints('ab 123'), [GPT2_REGEX, '\\p{N}+'].map(compileStep))
 */
export function splitWordsByRegexes(cps: Uint32Array, steps: readonly PreTokenizerStep[]): number[] {
  let ends = cps.length > 0 ? [cps.length] : [];
  for (const step of steps) {
    if (typeof step === 'string') {
      const next: number[] = [];
      let start = 0;
      for (const end of ends) {
        if (step === 'afmoeDigits') splitAfmoeDigits(cps, start, end, next);
        else splitRange(cps, start, end, step, next);
        start = end;
      }
      ends = next;
    } else {
      ends = regexSplit(cps, ends, step);
    }
  }
  return ends;
}

/** One step of a regex list: a compiled regex, or the name of a hand-written matcher. */
export type PreTokenizerStep = CompiledSplitRegex | 'gpt2' | 'llama3' | 'qwen2' | 'qwen35' | 'afmoeDigits';

// llama.cpp runs these two patterns with its afmoe digit matcher.
const AFMOE_DIGITS = new Set(['\\p{AFMoE_digits}', '\\d{1,3}(?=(?:\\d{3})*\\b)']);

/**
 * llama.cpp's afmoe digit grouping: a digit run is cut into a leading 1-2 digits (length mod 3) and
 * then threes; the text before a run stays glued to its first piece, as in llama.cpp.
 */
function splitAfmoeDigits(cps: Uint32Array, ini: number, end: number, ends: number[]): void {
  let prev = ini;
  const emit = (e: number) => {
    if (e > prev) ends.push(e);
    prev = e;
  };
  for (let pos = ini; pos < end; ) {
    if (!(cptFlags(cps[pos]!) & CPT.NUMBER)) {
      pos++;
      continue;
    }
    const start = pos;
    while (pos < end && cptFlags(cps[pos]!) & CPT.NUMBER) pos++;
    let current = start;
    const rem = (pos - start) % 3;
    if (rem > 0) {
      current += rem;
      emit(current);
    }
    while (current < pos) {
      current += 3;
      emit(current);
    }
  }
  if (prev < end) emit(end);
}

/**
 * Compiles one regex of a list; the patterns llama.cpp knows by text get its hand-written matchers.
 * @example compileStep(GPT2_REGEX) === 'gpt2'; compileStep('\\p{N}+') // a collapsed-class regex
 */
export function compileStep(source: string): PreTokenizerStep {
  if (AFMOE_DIGITS.has(source)) return 'afmoeDigits';
  const custom = Object.hasOwn(CUSTOM_REGEXES, source) ? CUSTOM_REGEXES[source] : undefined;
  return custom === 'gpt2' || custom === 'llama3' || custom === 'qwen2' || custom === 'qwen35'
    ? custom
    : compileSplitRegex(source);
}

function splitRange(cps: Uint32Array, ini: number, end: number, kind: PreTokenizerKind, ends: number[]): void {
  const cpt = (p: number) => (p >= ini && p < end ? cps[p]! : OUT);
  const flags = (p: number) => (p >= ini && p < end ? cptFlags(cps[p]!) : 0);
  const gpt2 = kind === 'gpt2';
  const maxDigits = kind === 'llama3' ? 3 : 1;
  let prev = ini;
  const emit = (e: number): number => {
    const len = e - prev;
    if (len > 0) ends.push(e);
    prev = e;
    return len;
  };
  // qwen35 lets combining marks join letter runs (and leaves them out of punctuation runs).
  const LETTERISH = kind === 'qwen35' ? CPT.LETTER | CPT.MARK : CPT.LETTER;
  const NOT_WORDISH = CPT.WHITESPACE | CPT.NUMBER | LETTERISH;

  for (let pos = ini; pos < end; ) {
    const c = cpt(pos);
    const f = flags(pos);
    // contractions ('s 't 're 've 'm 'll 'd; case-insensitive except for gpt2)
    if (c === APOS && pos + 1 < end) {
      const n1 = gpt2 ? cpt(pos + 1) : lower(cpt(pos + 1));
      if (n1 === 0x73 || n1 === 0x74 || n1 === 0x6d || n1 === 0x64) {
        pos += emit(pos + 2);
        continue;
      }
      if (pos + 2 < end) {
        const n2 = gpt2 ? cpt(pos + 2) : lower(cpt(pos + 2));
        if ((n1 === 0x72 && n2 === 0x65) || (n1 === 0x76 && n2 === 0x65) || (n1 === 0x6c && n2 === 0x6c)) {
          pos += emit(pos + 3);
          continue;
        }
      }
    }
    if (gpt2) {
      let f2 = c === SPACE ? flags(pos + 1) : f;
      if (f2 & CPT.LETTER || f2 & CPT.NUMBER || (!(f2 & NOT_WORDISH) && f2 !== 0)) {
        // ` ?\p{L}+` | ` ?\p{N}+` | ` ?[^\s\p{L}\p{N}]+`
        const want = f2 & CPT.LETTER ? CPT.LETTER : f2 & CPT.NUMBER ? CPT.NUMBER : 0;
        if (c === SPACE) pos++;
        if (want !== 0) {
          while (f2 & want) f2 = flags(++pos);
        } else {
          while (!(f2 & NOT_WORDISH) && f2 !== 0) f2 = flags(++pos);
        }
        emit(pos);
        continue;
      }
    } else {
      // `[^\r\n\p{L}\p{N}]?\p{L}+`
      if (!(c === CR || c === LF || f & CPT.NUMBER) && (f & LETTERISH || flags(pos + 1) & LETTERISH)) {
        pos++;
        while (flags(pos) & LETTERISH) pos++;
        emit(pos);
        continue;
      }
      // `\p{N}{1,3}` (llama3) or `\p{N}` (qwen2)
      if (f & CPT.NUMBER) {
        let start = pos;
        while (flags(pos) & CPT.NUMBER) {
          if (++pos - start >= maxDigits) {
            emit(pos);
            start = pos;
          }
        }
        emit(pos);
        continue;
      }
      // ` ?[^\s\p{L}\p{N}]+[\r\n]*` (llama.cpp tests the current codepoint's flags for the guard)
      let f2 = c === SPACE ? flags(pos + 1) : f;
      if (!(f2 & NOT_WORDISH) && f !== 0) {
        if (c === SPACE) pos++;
        while (!(f2 & NOT_WORDISH) && f2 !== 0) f2 = flags(++pos);
        let c2 = cpt(pos);
        while (c2 === CR || c2 === LF) c2 = cpt(++pos);
        emit(pos);
        continue;
      }
    }
    let numWs = 0;
    let lastNl = 0;
    while (flags(pos + numWs) & CPT.WHITESPACE) {
      const c2 = cpt(pos + numWs);
      if (!gpt2 && (c2 === CR || c2 === LF)) lastNl = pos + numWs + 1;
      numWs++;
    }
    if (lastNl > 0) {
      // `\s*[\r\n]+`
      pos = lastNl;
      emit(pos);
      continue;
    }
    if (numWs > 1 && cpt(pos + numWs) !== OUT) {
      // `\s+(?!\S)`: leave the last space to the next word
      pos += numWs - 1;
      emit(pos);
      continue;
    }
    if (numWs > 0) {
      pos += numWs;
      emit(pos);
      continue;
    }
    emit(++pos);
  }
}
