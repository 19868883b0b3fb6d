import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { GGML_TYPE_INFO } from './GGML_TYPE.ts';
import {
  GGUF_SCALAR_SIZE,
  GGUF_TYPE,
  type GgufArrayType,
  type GgufMetadataType,
  type GgufScalarType,
} from './GGUF_TYPE.ts';
import { GgufError } from './GgufError.ts';
import { GgufFile, type GgufTensor, type GgufValue } from './GgufFile.ts';

const MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
const MAX_DIMS = 4; // GGML_MAX_DIMS
const MAX_ARRAY_DEPTH = 8;
const DEFAULT_ALIGNMENT = 32;
const decoder = new TextDecoder('utf-8', { ignoreBOM: true }); // keep a leading U+FEFF: it is a token in some vocabularies

/**
 * Parses a GGUF v2/v3 file (little-endian). A path is read whole; tensor `data` are zero-copy views
 * into that buffer. Every count and length is checked against the bytes left before anything is
 * allocated; a malformed file throws `GgufError` naming the byte offset and the reason.
 * @example const file = readGguf('model.gguf'); file.tensor('token_embd.weight')?.dims
 */
export function readGguf(source: string | Uint8Array): GgufFile {
  const buffer = typeof source === 'string' ? readWhole(source) : source;
  return new Reader(buffer).file();
}

/** Largest file one Uint8Array can hold in Node 20 (4 GiB). */
const MAX_FILE_BYTES = 2 ** 32;
const CHUNK = 1 << 30;

/** Reads a whole file into one buffer in 1 GiB chunks (readFileSync stops at 2 GiB). */
function readWhole(path: string): Uint8Array {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    if (size > MAX_FILE_BYTES) {
      throw new GgufError('DTE_ERR_GGUF_IO', -1, `${path} is ${size} bytes, over the 4 GiB a single buffer can hold`);
    }
    const buf = new Uint8Array(size);
    let pos = 0;
    while (pos < size) {
      const n = readSync(fd, buf, pos, Math.min(CHUNK, size - pos), pos);
      if (n === 0) throw new GgufError('DTE_ERR_GGUF_IO', pos, `${path} shrank while being read`);
      pos += n;
    }
    return buf;
  } catch (err) {
    if (err instanceof GgufError) throw err;
    throw new GgufError('DTE_ERR_GGUF_IO', -1, `cannot read ${path}: ${(err as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Parses `head`, the first bytes of a file of `fileSize` bytes; tensor views are clipped to `head`. */
export function parseGgufPrefix(head: Uint8Array, fileSize: number): GgufFile {
  return new Reader(head, fileSize).file();
}

class Reader {
  private pos = 0;
  private readonly view: DataView;

  /** `fileSize` > `buf.byteLength` when `buf` is only the start of the file (header-only reads). */
  constructor(
    private readonly buf: Uint8Array,
    private readonly fileSize = buf.byteLength,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  file(): GgufFile {
    if (this.buf.byteLength < 4) throw this.truncated(0, 'file shorter than the magic');
    if (this.view.getUint32(0, true) !== MAGIC) throw new GgufError('DTE_ERR_GGUF_BAD_MAGIC', 0, 'expected "GGUF"');
    this.pos = 4;
    const version = this.u32();
    if (version !== 2 && version !== 3) {
      const swapped = this.view.getUint32(4, false);
      const why =
        swapped === 2 || swapped === 3
          ? `big-endian GGUF v${swapped} is not supported (convert it on a little-endian machine)`
          : `unsupported GGUF version ${version} (2 and 3 are)`;
      throw new GgufError('DTE_ERR_GGUF_BAD_VERSION', 4, why);
    }
    const nTensors = this.count(24, 'tensor count'); // a tensor info takes at least 24 bytes
    const nKv = this.count(13, 'metadata count'); // a key/value takes at least 13 bytes

    const metadata = new Map<string, GgufValue>();
    const metadataTypes = new Map<string, GgufMetadataType>();
    for (let i = 0; i < nKv; i++) {
      const keyAt = this.pos;
      const key = this.string();
      if (metadata.has(key)) throw new GgufError('DTE_ERR_GGUF_BAD_METADATA', keyAt, `duplicate key "${key}"`);
      const typeAt = this.pos;
      const type = this.u32();
      if (type === GGUF_TYPE.ARRAY) {
        const { value, type: arrayType } = this.array(0);
        metadata.set(key, value);
        metadataTypes.set(key, arrayType);
      } else {
        const scalar = this.scalarType(type, typeAt);
        metadata.set(key, this.scalar(scalar));
        metadataTypes.set(key, scalar);
      }
    }

    let alignment = DEFAULT_ALIGNMENT;
    if (metadata.has('general.alignment')) {
      const a = metadata.get('general.alignment');
      if (
        metadataTypes.get('general.alignment') !== GGUF_TYPE.UINT32 ||
        typeof a !== 'number' ||
        a === 0 ||
        (a & (a - 1)) !== 0
      ) {
        throw new GgufError(
          'DTE_ERR_GGUF_BAD_ALIGNMENT',
          0,
          `general.alignment must be a uint32 power of two, got ${String(a)}`,
        );
      }
      alignment = a;
    }

    const infos: Array<{
      name: string;
      type: number;
      dims: number[];
      nElements: number;
      nBytes: number;
      rel: number;
      at: number;
    }> = [];
    const names = new Set<string>();
    for (let i = 0; i < nTensors; i++) {
      const at = this.pos;
      const name = this.string();
      if (names.has(name)) throw new GgufError('DTE_ERR_GGUF_BAD_TENSOR', at, `duplicate tensor "${name}"`);
      names.add(name);
      const nDimsAt = this.pos;
      const nDims = this.u32();
      if (nDims < 1 || nDims > MAX_DIMS) {
        throw new GgufError('DTE_ERR_GGUF_BAD_TENSOR', nDimsAt, `tensor "${name}" has ${nDims} dims (1..${MAX_DIMS})`);
      }
      const dims: number[] = [];
      let nElements = 1;
      for (let d = 0; d < nDims; d++) {
        const dimAt = this.pos;
        const dim = this.u64();
        if (dim > BigInt(Number.MAX_SAFE_INTEGER)) {
          throw new GgufError('DTE_ERR_GGUF_BAD_TENSOR', dimAt, `tensor "${name}" dim ${d} is too large`);
        }
        dims.push(Number(dim));
        nElements *= Number(dim);
        if (nElements > Number.MAX_SAFE_INTEGER) {
          throw new GgufError('DTE_ERR_GGUF_BAD_TENSOR', dimAt, `tensor "${name}" has too many elements`);
        }
      }
      const typeAt = this.pos;
      const type = this.u32();
      const info = GGML_TYPE_INFO.get(type);
      if (!info) throw new GgufError('DTE_ERR_GGUF_BAD_TYPE', typeAt, `tensor "${name}" has unknown ggml type ${type}`);
      if (dims[0]! % info.blockSize !== 0) {
        throw new GgufError(
          'DTE_ERR_GGUF_BAD_TENSOR',
          nDimsAt,
          `tensor "${name}" row length ${dims[0]} is not a multiple of ${info.name}'s block size ${info.blockSize}`,
        );
      }
      const nBytes = (nElements / info.blockSize) * info.typeSize;
      const offAt = this.pos;
      const off = this.u64();
      if (off > BigInt(Number.MAX_SAFE_INTEGER) || Number(off) % alignment !== 0) {
        throw new GgufError(
          'DTE_ERR_GGUF_BAD_TENSOR',
          offAt,
          `tensor "${name}" offset ${off} is not aligned to ${alignment}`,
        );
      }
      infos.push({ name, type, dims, nElements, nBytes, rel: Number(off), at: offAt });
    }

    const dataOffset = Math.ceil(this.pos / alignment) * alignment;
    if (nTensors > 0 && dataOffset > this.fileSize)
      throw this.truncated(this.pos, `tensor data section (at byte ${dataOffset}) missing`);
    const tensors: GgufTensor[] = infos.map((t) => {
      const offset = dataOffset + t.rel;
      if (offset + t.nBytes > this.fileSize) {
        throw new GgufError(
          'DTE_ERR_GGUF_TRUNCATED',
          t.at,
          `tensor "${t.name}" data [${offset}, ${offset + t.nBytes}) lies outside the file (${this.fileSize} bytes)`,
        );
      }
      const data = this.buf.subarray(offset, offset + t.nBytes);
      return { name: t.name, type: t.type, dims: t.dims, nElements: t.nElements, nBytes: t.nBytes, offset, data };
    });
    return new GgufFile(version, alignment, dataOffset, this.buf, metadata, metadataTypes, tensors);
  }

  private truncated(at: number, what: string): GgufError {
    return new GgufError('DTE_ERR_GGUF_TRUNCATED', at, `${what}: file ends at byte ${this.buf.byteLength}`);
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.buf.byteLength) throw this.truncated(this.pos, `${what} needs ${n} bytes`);
  }

  private u32(): number {
    this.need(4, 'uint32');
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  private u64(): bigint {
    this.need(8, 'uint64');
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A uint64 count whose items take at least `minItemBytes` each: bounded by the bytes left. */
  private count(minItemBytes: number, what: string): number {
    const at = this.pos;
    const n = this.u64();
    const left = this.buf.byteLength - this.pos;
    if (n > BigInt(Math.floor(left / minItemBytes))) {
      throw new GgufError('DTE_ERR_GGUF_TRUNCATED', at, `${what} ${n} cannot fit in the ${left} bytes left`);
    }
    return Number(n);
  }

  private string(): string {
    const len = this.count(1, 'string length');
    const start = this.pos;
    this.pos += len;
    return decodeUtf8(this.buf, start, len);
  }

  private scalarType(type: number, at: number): GgufScalarType {
    if (type === GGUF_TYPE.STRING || GGUF_SCALAR_SIZE[type] !== undefined) return type as GgufScalarType;
    throw new GgufError('DTE_ERR_GGUF_BAD_TYPE', at, `unknown metadata value type ${type}`);
  }

  private scalar(type: GgufScalarType): GgufValue {
    if (type === GGUF_TYPE.STRING) return this.string();
    const size = GGUF_SCALAR_SIZE[type]!;
    this.need(size, 'metadata value');
    const p = this.pos;
    this.pos += size;
    const v = this.view;
    switch (type) {
      case GGUF_TYPE.UINT8:
        return v.getUint8(p);
      case GGUF_TYPE.INT8:
        return v.getInt8(p);
      case GGUF_TYPE.UINT16:
        return v.getUint16(p, true);
      case GGUF_TYPE.INT16:
        return v.getInt16(p, true);
      case GGUF_TYPE.UINT32:
        return v.getUint32(p, true);
      case GGUF_TYPE.INT32:
        return v.getInt32(p, true);
      case GGUF_TYPE.FLOAT32:
        return v.getFloat32(p, true);
      case GGUF_TYPE.BOOL: {
        const b = v.getUint8(p);
        if (b > 1) throw new GgufError('DTE_ERR_GGUF_BAD_METADATA', p, `bool value ${b} is neither 0 nor 1`);
        return b === 1;
      }
      case GGUF_TYPE.UINT64:
        return safeInt(v.getBigUint64(p, true));
      case GGUF_TYPE.INT64:
        return safeInt(v.getBigInt64(p, true));
      default:
        return v.getFloat64(p, true);
    }
  }

  private array(depth: number): { value: GgufValue; type: GgufArrayType } {
    const typeAt = this.pos;
    if (depth >= MAX_ARRAY_DEPTH) {
      throw new GgufError('DTE_ERR_GGUF_BAD_METADATA', typeAt, `arrays nested deeper than ${MAX_ARRAY_DEPTH}`);
    }
    const elem = this.u32();
    if (elem === GGUF_TYPE.ARRAY) {
      const n = this.count(12, 'array length'); // an inner array takes at least 12 bytes
      const items: GgufValue[] = [];
      const types: GgufArrayType[] = [];
      for (let i = 0; i < n; i++) {
        const inner = this.array(depth + 1);
        items.push(inner.value);
        types.push(inner.type);
      }
      return { value: items, type: { arrays: types } };
    }
    const type = this.scalarType(elem, typeAt);
    if (type === GGUF_TYPE.STRING) {
      const n = this.count(8, 'array length');
      const items: string[] = new Array(n);
      for (let i = 0; i < n; i++) items[i] = this.string();
      return { value: items, type: { array: type } };
    }
    const size = GGUF_SCALAR_SIZE[type]!;
    const n = this.count(size, 'array length');
    // Copy into a fresh aligned buffer (the file's offsets need not be aligned for the element size).
    const bytes = this.buf.slice(this.pos, this.pos + n * size);
    const lenAt = this.pos - 8;
    this.pos += n * size;
    const ab = bytes.buffer;
    switch (type) {
      case GGUF_TYPE.UINT8:
        return { value: bytes, type: { array: type } };
      case GGUF_TYPE.INT8:
        return { value: new Int8Array(ab), type: { array: type } };
      case GGUF_TYPE.UINT16:
        return { value: new Uint16Array(ab), type: { array: type } };
      case GGUF_TYPE.INT16:
        return { value: new Int16Array(ab), type: { array: type } };
      case GGUF_TYPE.UINT32:
        return { value: new Uint32Array(ab), type: { array: type } };
      case GGUF_TYPE.INT32:
        return { value: new Int32Array(ab), type: { array: type } };
      case GGUF_TYPE.FLOAT32:
        return { value: new Float32Array(ab), type: { array: type } };
      case GGUF_TYPE.BOOL: {
        const out: boolean[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const b = bytes[i]!;
          if (b > 1)
            throw new GgufError('DTE_ERR_GGUF_BAD_METADATA', lenAt + 8 + i, `bool value ${b} is neither 0 nor 1`);
          out[i] = b === 1;
        }
        return { value: out, type: { array: type } };
      }
      case GGUF_TYPE.UINT64:
        return { value: new BigUint64Array(ab), type: { array: type } };
      case GGUF_TYPE.INT64:
        return { value: new BigInt64Array(ab), type: { array: type } };
      default:
        return { value: new Float64Array(ab), type: { array: type } };
    }
  }
}

function safeInt(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
}

/** UTF-8 decode with a fast path for short ASCII strings (token lists hold ~10^5 of them). */
function decodeUtf8(buf: Uint8Array, start: number, len: number): string {
  if (len <= 32) {
    let s = '';
    for (let i = 0; i < len; i++) {
      const c = buf[start + i]!;
      if (c >= 0x80) return decoder.decode(buf.subarray(start, start + len));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decoder.decode(buf.subarray(start, start + len));
}
