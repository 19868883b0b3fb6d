import { DtesnError, dtesnError } from '../DtesnError.ts';

/** One P-Lingua token with its 1-based source position. */
export interface Token {
  kind: 'ident' | 'number' | 'directive' | 'punct' | 'eof';
  text: string;
  line: number;
  column: number;
}

const PUNCT = [
  '-->',
  '+=',
  '<=',
  '>=',
  '[',
  ']',
  '{',
  '}',
  '(',
  ')',
  ',',
  ';',
  ':',
  '*',
  '+',
  '-',
  '=',
  '<',
  '>',
  "'",
  '#',
];

/** Builds a syntax error that names the line and column. */
export function syntaxError(tok: { line: number; column: number }, what: string): DtesnError {
  const e = dtesnError('DTE_ERR_DTESN_PLINGUA_SYNTAX', tok.line, tok.column, what);
  return new DtesnError(e.code, e.message, tok.line, tok.column);
}

/**
 * Splits P-Lingua source into tokens, skipping `//` and `/* *\/` comments.
 * Directives are `@` words (`@mu`, `@ms`, `@model`, `@d`, `@priority`).
 */
export function tokenizePLingua(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  const advance = (n: number): void => {
    for (let k = 0; k < n; k++) {
      if (src[i] === '\n') {
        line++;
        col = 1;
      } else col++;
      i++;
    }
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      advance(1);
      continue;
    }
    if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') advance(1);
      continue;
    }
    if (src.startsWith('/*', i)) {
      const start = { line, column: col };
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw syntaxError(start, 'unterminated comment');
      advance(end + 2 - i);
      continue;
    }
    const rest = src.slice(i, i + 64);
    const word = /^@?[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (word !== null) {
      const text = word[0];
      out.push({ kind: text.startsWith('@') ? 'directive' : 'ident', text, line, column: col });
      advance(text.length);
      continue;
    }
    const num = /^[0-9]+/.exec(rest);
    if (num !== null) {
      out.push({ kind: 'number', text: num[0], line, column: col });
      advance(num[0].length);
      continue;
    }
    const p = PUNCT.find((s) => src.startsWith(s, i));
    if (p === undefined) throw syntaxError({ line, column: col }, `unexpected character '${c}'`);
    out.push({ kind: 'punct', text: p, line, column: col });
    advance(p.length);
  }
  out.push({ kind: 'eof', text: '<end of input>', line, column: col });
  return out;
}
