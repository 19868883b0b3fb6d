import { TOKEN_ATTR } from './TOKEN_ATTR.ts';
import type { TokenizerVocab } from './TokenizerVocab.ts';

/** A piece of input: raw text still to tokenize, or a special token found in it. */
export type Fragment = { text: string; token?: undefined } | { token: number; text?: undefined };

const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/**
 * Splits special tokens out of `text`, longest first, as llama.cpp's `tokenizer_st_partition`.
 * Control and unknown tokens are only recognised when `parseSpecial` is true; user-defined tokens
 * always are. Tokens with LSTRIP/RSTRIP swallow the whitespace beside them.
 * @example splitSpecial(vocab, '<s>hi', true) // [{ token: 1 }, { text: 'hi' }]
 */
export function splitSpecial(vocab: TokenizerVocab, text: string, parseSpecial: boolean): Fragment[] {
  let frags: Fragment[] = text.length > 0 ? [{ text }] : [];
  for (const id of vocab.specialIds) {
    const attr = vocab.attrs[id]!;
    if (!parseSpecial && attr & (TOKEN_ATTR.CONTROL | TOKEN_ATTR.UNKNOWN)) continue;
    const special = vocab.tokens[id]!;
    if (!frags.some((f) => f.text?.includes(special))) continue;
    const next: Fragment[] = [];
    for (const frag of frags) {
      const raw = frag.text;
      if (raw === undefined || !raw.includes(special)) {
        next.push(frag);
        continue;
      }
      let from = 0;
      for (;;) {
        const at = raw.indexOf(special, from);
        if (at < 0) {
          if (from < raw.length) next.push({ text: raw.substring(from) });
          break;
        }
        let leftEnd = at;
        if (attr & TOKEN_ATTR.LSTRIP) while (leftEnd > from && isSpace(raw.charCodeAt(leftEnd - 1))) leftEnd--;
        if (leftEnd > from) next.push({ text: raw.substring(from, leftEnd) });
        next.push({ token: id });
        from = at + special.length;
        if (attr & TOKEN_ATTR.RSTRIP) while (from < raw.length && isSpace(raw.charCodeAt(from))) from++;
      }
    }
    frags = next;
  }
  return frags;
}
