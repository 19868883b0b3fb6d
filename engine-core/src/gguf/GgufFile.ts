import type { GgufMetadataType } from './GGUF_TYPE.ts';

/**
 * A decoded metadata value. 64-bit integers are `number` when safe, else `bigint`; arrays of numbers
 * are typed arrays (64-bit ones `BigInt64Array`/`BigUint64Array`), arrays of strings `string[]`,
 * arrays of bools `boolean[]`, nested arrays `GgufValue[]`.
 */
export type GgufValue =
  | number
  | bigint
  | boolean
  | string
  | GgufValue[]
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigUint64Array
  | BigInt64Array;

/** One tensor of a GGUF file; `data` is a zero-copy view into the file's buffer. */
export interface GgufTensor {
  readonly name: string;
  /** ggml type id (see `GGML_TYPE`). */
  readonly type: number;
  /** Shape, innermost (row length, ne0) first. */
  readonly dims: number[];
  readonly nElements: number;
  readonly nBytes: number;
  /** Absolute byte offset of the data in `GgufFile.buffer`. */
  readonly offset: number;
  readonly data: Uint8Array;
}

/**
 * A parsed GGUF file (see `readGguf`). Metadata keep their exact types in `metadataTypes`
 * so that `writeGguf` can reproduce the file.
 */
export class GgufFile {
  private readonly byName: Map<string, GgufTensor>;

  constructor(
    readonly version: 2 | 3,
    readonly alignment: number,
    readonly dataOffset: number,
    readonly buffer: Uint8Array,
    readonly metadata: Map<string, GgufValue>,
    readonly metadataTypes: Map<string, GgufMetadataType>,
    readonly tensors: GgufTensor[],
  ) {
    this.byName = new Map(tensors.map((t) => [t.name, t]));
  }

  /** The tensor called `name`, or undefined. */
  tensor(name: string): GgufTensor | undefined {
    return this.byName.get(name);
  }
}
