/**
 * GGUF metadata value type ids (the `gguf_type` enum of the format).
 * @example { key: 'llama.block_count', type: GGUF_TYPE.UINT32, value: 5 }
 */
export const GGUF_TYPE = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;

/** A scalar GGUF metadata type id (anything but `ARRAY`). */
export type GgufScalarType = Exclude<(typeof GGUF_TYPE)[keyof typeof GGUF_TYPE], 9>;

/** Array of scalars (`{ array: GGUF_TYPE.STRING }`) or array of arrays, one type per item. */
export type GgufArrayType = { readonly array: GgufScalarType } | { readonly arrays: readonly GgufArrayType[] };

/** The exact GGUF type of one metadata value: kept by the reader so a file can be rewritten byte for byte. */
export type GgufMetadataType = GgufScalarType | GgufArrayType;

/** Bytes of one scalar of each fixed-size type (strings are variable). */
export const GGUF_SCALAR_SIZE: Readonly<Record<number, number>> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8,
};

/** Name of a GGUF metadata type, for messages and `dte info` (`'array<string>'`). */
export function ggufTypeName(type: GgufMetadataType): string {
  if (typeof type === 'number') {
    const entry = Object.entries(GGUF_TYPE).find(([, v]) => v === type);
    return entry ? entry[0].toLowerCase() : `type${type}`;
  }
  if ('array' in type) return `array<${ggufTypeName(type.array)}>`;
  return 'array<array>';
}
