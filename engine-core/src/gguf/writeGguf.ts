import { GGML_TYPE_INFO } from './GGML_TYPE.ts';
import { GGUF_TYPE, type GgufArrayType, type GgufMetadataType, type GgufScalarType } from './GGUF_TYPE.ts';
import { GgufError } from './GgufError.ts';
import type { GgufFile, GgufValue } from './GgufFile.ts';

/** One metadata entry to write: `type` is the exact GGUF type (see `GGUF_TYPE`). */
export interface GgufMetadataSpec {
  key: string;
  type: GgufMetadataType;
  value: GgufValue;
}

/** One tensor to write: `data` holds exactly the bytes of `dims` elements of ggml type `type`. */
export interface GgufTensorSpec {
  name: string;
  type: number;
  dims: readonly number[];
  data: Uint8Array;
}

/** What `writeGguf` writes. */
export interface GgufSpec {
  version?: 3;
  /** Data alignment (default 32, or `general.alignment` when the metadata hold it). */
  alignment?: number;
  metadata: GgufMetadataSpec[];
  tensors: GgufTensorSpec[];
}

const encoder = new TextEncoder();

/**
 * Serialises a GGUF v3 file: header, metadata in the given order, tensor infos, then each tensor's
 * data padded to the alignment. A non-default alignment is recorded as `general.alignment`.
 * Reading a written file and writing it again gives the same bytes.
 * @example writeFileSync('tiny.gguf', writeGguf({ metadata: [{ key: 'general.architecture', type: GGUF_TYPE.STRING, value: 'llama' }], tensors: [] }))
 */
export function writeGguf(spec: GgufSpec): Uint8Array {
  if (spec.version !== undefined && spec.version !== 3) bad(`version ${spec.version} cannot be written (only 3)`);
  const metadata = [...spec.metadata];
  const alignEntry = metadata.find((m) => m.key === 'general.alignment');
  let alignment = spec.alignment ?? 32;
  if (alignEntry) {
    if (alignEntry.type !== GGUF_TYPE.UINT32 || typeof alignEntry.value !== 'number')
      bad('general.alignment must be a uint32');
    if (spec.alignment !== undefined && spec.alignment !== alignEntry.value)
      bad('alignment disagrees with general.alignment');
    alignment = alignEntry.value;
  } else if (alignment !== 32) {
    metadata.push({ key: 'general.alignment', type: GGUF_TYPE.UINT32, value: alignment });
  }
  if (!Number.isInteger(alignment) || alignment <= 0 || alignment > 0xffffffff || (alignment & (alignment - 1)) !== 0) {
    bad(`alignment ${alignment} is not a power of two`);
  }

  const w = new ByteWriter();
  w.u32(0x46554747);
  w.u32(3);
  w.u64(BigInt(spec.tensors.length));
  w.u64(BigInt(metadata.length));
  const keys = new Set<string>();
  for (const m of metadata) {
    if (keys.has(m.key)) bad(`duplicate metadata key "${m.key}"`);
    keys.add(m.key);
    w.string(m.key);
    if (typeof m.type === 'number') {
      w.u32(m.type);
      writeScalar(w, m.type, m.value, m.key);
    } else {
      w.u32(GGUF_TYPE.ARRAY);
      writeArray(w, m.type, m.value, m.key, 0);
    }
  }

  const names = new Set<string>();
  let rel = 0;
  const placed: Array<{ data: Uint8Array; rel: number }> = [];
  for (const t of spec.tensors) {
    if (names.has(t.name)) bad(`duplicate tensor "${t.name}"`);
    names.add(t.name);
    const info = GGML_TYPE_INFO.get(t.type);
    if (!info) bad(`tensor "${t.name}" has unknown ggml type ${t.type}`);
    if (t.dims.length < 1 || t.dims.length > 4) bad(`tensor "${t.name}" needs 1..4 dims`);
    let n = 1;
    for (const d of t.dims) {
      if (!Number.isSafeInteger(d) || d < 0) bad(`tensor "${t.name}" has a bad dim ${d}`);
      n *= d;
    }
    if (t.dims[0]! % info.blockSize !== 0) bad(`tensor "${t.name}" row length is not a multiple of ${info.blockSize}`);
    const nBytes = (n / info.blockSize) * info.typeSize;
    if (t.data.byteLength !== nBytes) bad(`tensor "${t.name}" needs ${nBytes} bytes of data, got ${t.data.byteLength}`);
    w.string(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(BigInt(d));
    w.u32(t.type);
    w.u64(BigInt(rel));
    placed.push({ data: t.data, rel });
    rel += Math.ceil(nBytes / alignment) * alignment;
  }
  const header = w.bytes();
  const dataOffset = spec.tensors.length > 0 ? Math.ceil(header.byteLength / alignment) * alignment : header.byteLength;
  const out = new Uint8Array(dataOffset + rel);
  out.set(header, 0);
  for (const p of placed) out.set(p.data, dataOffset + p.rel);
  return out;
}

/**
 * The spec that rewrites `file` (metadata in file order with their exact types, tensors in order).
 * @example writeGguf(ggufSpecOf(readGguf(bytes)))
 */
export function ggufSpecOf(file: GgufFile): GgufSpec {
  return {
    alignment: file.alignment,
    metadata: [...file.metadata].map(([key, value]) => ({ key, type: file.metadataTypes.get(key)!, value })),
    tensors: file.tensors.map((t) => ({ name: t.name, type: t.type, dims: t.dims, data: t.data })),
  };
}

function bad(reason: string): never {
  throw new GgufError('DTE_ERR_GGUF_BAD_SPEC', -1, reason, 'writeGguf');
}

const INT_RANGE: Record<number, [number, number]> = {
  [GGUF_TYPE.UINT8]: [0, 0xff],
  [GGUF_TYPE.INT8]: [-0x80, 0x7f],
  [GGUF_TYPE.UINT16]: [0, 0xffff],
  [GGUF_TYPE.INT16]: [-0x8000, 0x7fff],
  [GGUF_TYPE.UINT32]: [0, 0xffffffff],
  [GGUF_TYPE.INT32]: [-0x80000000, 0x7fffffff],
};

function writeScalar(w: ByteWriter, type: number, value: unknown, key: string): void {
  const range = INT_RANGE[type];
  if (range) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range[0] || value > range[1]) {
      bad(`"${key}": ${String(value)} is not a valid ${typeName(type)}`);
    }
    w.int(type, value);
    return;
  }
  switch (type) {
    case GGUF_TYPE.FLOAT32:
    case GGUF_TYPE.FLOAT64:
      if (typeof value !== 'number') bad(`"${key}": expected a number`);
      if (type === GGUF_TYPE.FLOAT32) w.f32(value);
      else w.f64(value);
      return;
    case GGUF_TYPE.BOOL:
      if (typeof value !== 'boolean') bad(`"${key}": expected a boolean`);
      w.u8(value ? 1 : 0);
      return;
    case GGUF_TYPE.STRING:
      if (typeof value !== 'string') bad(`"${key}": expected a string`);
      w.string(value);
      return;
    case GGUF_TYPE.UINT64:
    case GGUF_TYPE.INT64: {
      const unsigned = type === GGUF_TYPE.UINT64;
      if (typeof value !== 'bigint' && !(typeof value === 'number' && Number.isSafeInteger(value))) {
        bad(`"${key}": expected an integer or bigint`);
      }
      const v = BigInt(value);
      const ok = unsigned ? v >= 0n && v < 1n << 64n : v >= -(1n << 63n) && v < 1n << 63n;
      if (!ok) bad(`"${key}": ${v} is out of range`);
      if (unsigned) w.u64(v);
      else w.i64(v);
      return;
    }
    default:
      bad(`"${key}": unknown metadata type ${type}`);
  }
}

function writeArray(w: ByteWriter, type: GgufArrayType, value: unknown, key: string, depth: number): void {
  if (depth >= 8) bad(`"${key}": arrays nested too deep`);
  if ('arrays' in type) {
    if (!Array.isArray(value) || value.length !== type.arrays.length)
      bad(`"${key}": expected ${type.arrays.length} arrays`);
    w.u32(GGUF_TYPE.ARRAY);
    w.u64(BigInt(value.length));
    for (let i = 0; i < value.length; i++) writeArray(w, type.arrays[i]!, value[i], key, depth + 1);
    return;
  }
  const elem: GgufScalarType = type.array;
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) bad(`"${key}": expected an array`);
  const items = value as ArrayLike<unknown>;
  w.u32(elem);
  w.u64(BigInt(items.length));
  for (let i = 0; i < items.length; i++) writeScalar(w, elem, items[i], key);
}

function typeName(type: number): string {
  return (
    Object.entries(GGUF_TYPE)
      .find(([, v]) => v === type)?.[0]
      .toLowerCase() ?? `type${type}`
  );
}

/** A little-endian byte sink that grows by doubling (reserve before touching `buf`/`view`: they move). */
class ByteWriter {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  private pos = 0;

  private reserve(n: number): number {
    if (this.pos + n > this.buf.byteLength) {
      let size = this.buf.byteLength * 2;
      while (size < this.pos + n) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(0, this.pos));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(v: number): void {
    const at = this.reserve(1);
    this.buf[at] = v;
  }
  u32(v: number): void {
    const at = this.reserve(4);
    this.view.setUint32(at, v, true);
  }
  u64(v: bigint): void {
    const at = this.reserve(8);
    this.view.setBigUint64(at, v, true);
  }
  i64(v: bigint): void {
    const at = this.reserve(8);
    this.view.setBigInt64(at, v, true);
  }
  f32(v: number): void {
    const at = this.reserve(4);
    this.view.setFloat32(at, v, true);
  }
  f64(v: number): void {
    const at = this.reserve(8);
    this.view.setFloat64(at, v, true);
  }
  int(type: number, v: number): void {
    const size =
      type === GGUF_TYPE.UINT8 || type === GGUF_TYPE.INT8
        ? 1
        : type === GGUF_TYPE.UINT16 || type === GGUF_TYPE.INT16
          ? 2
          : 4;
    const at = this.reserve(size);
    if (size === 1) this.view.setUint8(at, v & 0xff);
    else if (size === 2) this.view.setUint16(at, v & 0xffff, true);
    else this.view.setUint32(at, v >>> 0, true);
  }
  string(s: string): void {
    const bytes = encoder.encode(s);
    this.u64(BigInt(bytes.byteLength));
    const at = this.reserve(bytes.byteLength);
    this.buf.set(bytes, at);
  }
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}
