import { SPECIAL_ATTRS } from './TOKEN_ATTR.ts';
import type { Tokenizer } from './Tokenizer.ts';

/**
 * Incremental detokenizer for generated tokens. `push(id)` returns the text that became complete:
 * bytes of a character split across tokens (byte-fallback `<0xE6><0x97><0xA5>` or byte-level BPE
 * pieces) are held back until the character is whole, so no call ever returns half a character or
 * a premature U+FFFD. The concatenation of every `push` and the final `flush` equals `decode(ids)`.
 * @example
 * const s = tok.createStreamDecoder();
 * for (const id of ids) process.stdout.write(s.push(id));
 * process.stdout.write(s.flush());
 */
export class StreamDecoder {
  private utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
  private afterSpecial = true;

  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly skipSpecial: boolean,
  ) {}

  /** Feeds one token id; returns the newly completed text (maybe ''). Throws on a bad id. */
  push(id: number): string {
    const bytes = this.tokenizer.pieceFor(id, this.skipSpecial, this.afterSpecial);
    this.afterSpecial = (this.tokenizer.vocab.attrs[id]! & SPECIAL_ATTRS) !== 0;
    return bytes.length === 0 ? '' : this.utf8.decode(bytes, { stream: true });
  }

  /** Ends the stream: returns what is still held (an incomplete character becomes U+FFFD) and resets. */
  flush(): string {
    const rest = this.utf8.decode();
    this.afterSpecial = true;
    return rest;
  }
}
