import { EngineError } from '../EngineError.ts';

/** One llama2.c vocabulary entry. */
export interface Llama2cToken {
  /** The piece as stored (UTF-8 decoded, spaces not yet escaped). */
  text: string;
  score: number;
}

const decoder = new TextDecoder('utf-8');

function bad(reason: string): never {
  throw new EngineError('DTE_ERR_CONVERT_BAD_TOKENIZER', `readLlama2cTokenizer: ${reason}`);
}

/**
 * Parses a llama2.c `tokenizer.bin`: int32 max_token_length, then `vocabSize` entries of
 * (f32 score, int32 length, bytes). Lengths are bounded by the bytes left; the file must end exactly.
 * @example readLlama2cTokenizer(readFileSync('tok512.bin'), 512)
 */
export function readLlama2cTokenizer(bytes: Uint8Array, vocabSize: number): Llama2cToken[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 4) bad('file shorter than its 4-byte header');
  const maxLen = view.getInt32(0, true);
  if (maxLen < 0) bad(`max_token_length ${maxLen} is negative`);
  // Each entry takes at least 8 bytes: refuse a vocab that cannot fit before allocating.
  if (vocabSize * 8 > bytes.byteLength - 4) bad(`${vocabSize} tokens cannot fit in ${bytes.byteLength} bytes`);
  const tokens: Llama2cToken[] = [];
  let pos = 4;
  for (let id = 0; id < vocabSize; id++) {
    if (pos + 8 > bytes.byteLength) bad(`token ${id} header at byte ${pos} runs past the end`);
    const score = view.getFloat32(pos, true);
    const len = view.getInt32(pos + 4, true);
    pos += 8;
    if (len < 0 || len > maxLen || pos + len > bytes.byteLength)
      bad(`token ${id} has a bad length ${len} at byte ${pos - 4}`);
    tokens.push({ text: decoder.decode(bytes.subarray(pos, pos + len)), score });
    pos += len;
  }
  if (pos !== bytes.byteLength) bad(`${bytes.byteLength - pos} trailing bytes after ${vocabSize} tokens`);
  return tokens;
}
