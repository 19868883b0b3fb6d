import { GGML_BLOCK, GGML_TYPE, type GgmlTypeId } from '@dte/native';

/**
 * ggml tensor type ids (as stored in GGUF tensor infos): the types the engine computes with, from
 * `@dte/native`'s table (the kernels' own); the others are known below so that files holding them can
 * be parsed and described.
 * @example dequantize(GGML_TYPE.Q8_0, tensor.data, tensor.nElements)
 */
export { GGML_TYPE };

/** One of the engine's supported ggml type ids (`@dte/native`'s `GgmlTypeId`). */
export type GgmlType = GgmlTypeId;

/** Layout of one ggml type: elements per block and bytes per block. */
export interface GgmlTypeInfo {
  readonly name: string;
  readonly blockSize: number;
  readonly typeSize: number;
}

/** The types a GGUF may name that the kernels do not compute with (ggml.h numbering; removed ids are absent). */
const PARSE_ONLY: ReadonlyArray<readonly [number, GgmlTypeInfo]> = [
  [3, { name: 'Q4_1', blockSize: 32, typeSize: 20 }],
  [6, { name: 'Q5_0', blockSize: 32, typeSize: 22 }],
  [7, { name: 'Q5_1', blockSize: 32, typeSize: 24 }],
  [9, { name: 'Q8_1', blockSize: 32, typeSize: 36 }],
  [10, { name: 'Q2_K', blockSize: 256, typeSize: 84 }],
  [11, { name: 'Q3_K', blockSize: 256, typeSize: 110 }],
  [13, { name: 'Q5_K', blockSize: 256, typeSize: 176 }],
  [15, { name: 'Q8_K', blockSize: 256, typeSize: 292 }],
  [16, { name: 'IQ2_XXS', blockSize: 256, typeSize: 66 }],
  [17, { name: 'IQ2_XS', blockSize: 256, typeSize: 74 }],
  [18, { name: 'IQ3_XXS', blockSize: 256, typeSize: 98 }],
  [19, { name: 'IQ1_S', blockSize: 256, typeSize: 50 }],
  [20, { name: 'IQ4_NL', blockSize: 32, typeSize: 18 }],
  [21, { name: 'IQ3_S', blockSize: 256, typeSize: 110 }],
  [22, { name: 'IQ2_S', blockSize: 256, typeSize: 82 }],
  [23, { name: 'IQ4_XS', blockSize: 256, typeSize: 136 }],
  [24, { name: 'I8', blockSize: 1, typeSize: 1 }],
  [25, { name: 'I16', blockSize: 1, typeSize: 2 }],
  [26, { name: 'I32', blockSize: 1, typeSize: 4 }],
  [27, { name: 'I64', blockSize: 1, typeSize: 8 }],
  [28, { name: 'F64', blockSize: 1, typeSize: 8 }],
  [29, { name: 'IQ1_M', blockSize: 256, typeSize: 56 }],
  [34, { name: 'TQ1_0', blockSize: 256, typeSize: 54 }],
  [35, { name: 'TQ2_0', blockSize: 256, typeSize: 66 }],
  [39, { name: 'MXFP4', blockSize: 32, typeSize: 17 }],
];

const COMPUTED = Object.entries(GGML_TYPE).map(
  ([name, id]) => [id, { name, blockSize: GGML_BLOCK[id].size, typeSize: GGML_BLOCK[id].bytes }] as const,
);

/** Every ggml type id a GGUF file may name, by id: the computed ones' layouts are `@dte/native`'s `GGML_BLOCK`. */
export const GGML_TYPE_INFO: ReadonlyMap<number, GgmlTypeInfo> = new Map<number, GgmlTypeInfo>(
  [...COMPUTED, ...PARSE_ONLY].sort((a, b) => a[0] - b[0]),
);

/** Name of a ggml type id (`'Q4_K'`), or `'type<id>'` when unknown. */
export function ggmlTypeName(type: number): string {
  return GGML_TYPE_INFO.get(type)?.name ?? `type${type}`;
}

/** True for the types the engine can dequantize and compute with. */
export function isSupportedGgmlType(type: number): type is GgmlType {
  return (Object.values(GGML_TYPE) as number[]).includes(type);
}
