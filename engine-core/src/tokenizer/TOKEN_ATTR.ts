/**
 * Token attribute bits, as llama.cpp's `llama_token_attr` (a token may carry several).
 * `tokenizer.ggml.token_type` values map onto them with {@link tokenTypeToAttr}.
 * @example (vocab.attrs[id]! & TOKEN_ATTR.CONTROL) !== 0
 */
export const TOKEN_ATTR = {
  UNDEFINED: 0,
  UNKNOWN: 1 << 0,
  UNUSED: 1 << 1,
  NORMAL: 1 << 2,
  CONTROL: 1 << 3,
  USER_DEFINED: 1 << 4,
  BYTE: 1 << 5,
  NORMALIZED: 1 << 6,
  LSTRIP: 1 << 7,
  RSTRIP: 1 << 8,
  SINGLE_WORD: 1 << 9,
} as const;

/** Attributes that make a token "special": split out of text and hidden by `skipSpecial`. */
export const SPECIAL_ATTRS = TOKEN_ATTR.CONTROL | TOKEN_ATTR.USER_DEFINED | TOKEN_ATTR.UNKNOWN;

/**
 * Maps a GGUF `token_type` (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte,
 * anything else undefined) to attribute bits.
 * @example tokenTypeToAttr(3) === TOKEN_ATTR.CONTROL
 */
export function tokenTypeToAttr(type: number): number {
  switch (type) {
    case 1:
      return TOKEN_ATTR.NORMAL;
    case 2:
      return TOKEN_ATTR.UNKNOWN;
    case 3:
      return TOKEN_ATTR.CONTROL;
    case 4:
      return TOKEN_ATTR.USER_DEFINED;
    case 5:
      return TOKEN_ATTR.UNUSED;
    case 6:
      return TOKEN_ATTR.BYTE;
    default:
      return TOKEN_ATTR.UNDEFINED;
  }
}
