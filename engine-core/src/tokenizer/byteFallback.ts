import { EngineError } from '../EngineError.ts';
import { BYTE_TO_CHAR } from './byteLevel.ts';
import type { TokenizerVocab } from './TokenizerVocab.ts';

const encoder = new TextEncoder();
const HEX = '0123456789ABCDEF';

/**
 * Emits a piece that is not in the vocabulary as one token per UTF-8 byte: `<0xXX>` for SPM (else the
 * single-byte text, else `<unk>`), the GPT-2 byte character for byte-level BPE (skipped when absent,
 * as llama.cpp does). Throws `DTE_ERR_TOKENIZER_UNENCODABLE` when an SPM byte has no token at all.
 * @example byteFallback(vocab, '日', ids) // three <0xXX> ids
 */
export function byteFallback(vocab: TokenizerVocab, piece: string, out: number[]): void {
  const bytes = encoder.encode(piece);
  for (const b of bytes) {
    if (vocab.model === 'bpe') {
      const id = vocab.tokenToId.get(BYTE_TO_CHAR[b]!);
      if (id !== undefined) out.push(id);
      continue;
    }
    const id =
      vocab.tokenToId.get(`<0x${HEX[b >> 4]}${HEX[b & 15]}>`) ??
      (b < 0x80 ? vocab.tokenToId.get(String.fromCharCode(b)) : undefined) ??
      (vocab.unkId >= 0 ? vocab.unkId : undefined);
    if (id === undefined) {
      throw new EngineError(
        'DTE_ERR_TOKENIZER_UNENCODABLE',
        `Tokenizer.encode: byte 0x${HEX[b >> 4]}${HEX[b & 15]} has no token and the vocabulary has no <unk>`,
      );
    }
    out.push(id);
  }
}
