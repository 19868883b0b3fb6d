import { ggmlTypeName } from './GGML_TYPE.ts';
import { GGUF_TYPE } from './GGUF_TYPE.ts';
import type { GgufFile, GgufValue } from './GgufFile.ts';
import type { GgufHeader } from './readGgufHeader.ts';

/** Per-ggml-type totals of a file's tensors. */
export interface GgufTypeTotals {
  type: string;
  tensors: number;
  elements: number;
  bytes: number;
}

/** What `dte info` prints: a plain, JSON-serialisable summary of a GGUF file. */
export interface GgufSummary {
  version: number;
  alignment: number;
  architecture: string | null;
  name: string | null;
  fileType: string | null;
  parameters: number;
  fileBytes: number;
  headerBytes: number;
  tensorBytes: number;
  metadataCount: number;
  tensorCount: number;
  /** Scalar `<arch>.*` keys, without the prefix (`block_count`, `attention.head_count`, ...). */
  hyperParameters: Record<string, number | string | boolean>;
  tokenizer: {
    model: string | null;
    pre: string | null;
    vocabSize: number;
    specialIds: Record<string, number>;
    addBos: boolean | null;
    addEos: boolean | null;
  };
  hasChatTemplate: boolean;
  tensorTypes: GgufTypeTotals[];
}

// llama.cpp's llama_ftype values for `general.file_type`.
const FILE_TYPES: Record<number, string> = {
  0: 'ALL_F32',
  1: 'MOSTLY_F16',
  2: 'MOSTLY_Q4_0',
  3: 'MOSTLY_Q4_1',
  7: 'MOSTLY_Q8_0',
  8: 'MOSTLY_Q5_0',
  9: 'MOSTLY_Q5_1',
  10: 'MOSTLY_Q2_K',
  11: 'MOSTLY_Q3_K_S',
  12: 'MOSTLY_Q3_K_M',
  13: 'MOSTLY_Q3_K_L',
  14: 'MOSTLY_Q4_K_S',
  15: 'MOSTLY_Q4_K_M',
  16: 'MOSTLY_Q5_K_S',
  17: 'MOSTLY_Q5_K_M',
  18: 'MOSTLY_Q6_K',
  32: 'MOSTLY_BF16',
};

/** The shortest decimal that reads back as the same f32 (1e-6, not 9.999999974752427e-7). */
function shortestF32(v: number): number {
  for (let p = 1; p <= 9; p++) {
    const d = Number(v.toPrecision(p));
    if (Math.fround(d) === v) return d;
  }
  return v;
}

function scalar(v: GgufValue | undefined): number | string | boolean | null {
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v.toString();
  return null;
}

/**
 * Summarises a GGUF file: architecture, parameter count, file type, sizes, hyper-parameters,
 * tokenizer and tensor totals by type. Works on a whole file or on a header (`readGgufHeader`).
 * @example describeGguf(readGguf('model.gguf')).parameters
 */
export function describeGguf(file: GgufFile | GgufHeader): GgufSummary {
  const str = (key: string): string | null => {
    const v = file.metadata.get(key);
    return typeof v === 'string' ? v : null;
  };
  const arch = str('general.architecture');
  const hyperParameters: Record<string, number | string | boolean> = {};
  if (arch) {
    for (const [key, value] of file.metadata) {
      let s = scalar(value);
      if (typeof s === 'number' && file.metadataTypes.get(key) === GGUF_TYPE.FLOAT32) s = shortestF32(s);
      if (key.startsWith(`${arch}.`) && s !== null) hyperParameters[key.slice(arch.length + 1)] = s;
    }
  }
  const specialIds: Record<string, number> = {};
  for (const [key, value] of file.metadata) {
    const m = /^tokenizer\.ggml\.(\w+)_token_id$/.exec(key);
    if (m && typeof value === 'number') specialIds[m[1]!] = value;
  }
  const tokens = file.metadata.get('tokenizer.ggml.tokens');
  const bool = (key: string) => {
    const v = file.metadata.get(key);
    return typeof v === 'boolean' ? v : null;
  };
  const ft = file.metadata.get('general.file_type');
  const byType = new Map<number, GgufTypeTotals>();
  let parameters = 0;
  let tensorBytes = 0;
  for (const t of file.tensors) {
    const e = byType.get(t.type) ?? { type: ggmlTypeName(t.type), tensors: 0, elements: 0, bytes: 0 };
    e.tensors++;
    e.elements += t.nElements;
    e.bytes += t.nBytes;
    byType.set(t.type, e);
    parameters += t.nElements;
    tensorBytes += t.nBytes;
  }
  return {
    version: file.version,
    alignment: file.alignment,
    architecture: arch,
    name: str('general.name'),
    fileType: typeof ft === 'number' ? (FILE_TYPES[ft] ?? `ftype ${ft}`) : null,
    parameters,
    fileBytes: 'fileSize' in file ? file.fileSize : file.buffer.byteLength,
    headerBytes: file.dataOffset,
    tensorBytes,
    metadataCount: file.metadata.size,
    tensorCount: file.tensors.length,
    hyperParameters,
    tokenizer: {
      model: str('tokenizer.ggml.model'),
      pre: str('tokenizer.ggml.pre'),
      vocabSize: Array.isArray(tokens) ? tokens.length : 0,
      specialIds,
      addBos: bool('tokenizer.ggml.add_bos_token'),
      addEos: bool('tokenizer.ggml.add_eos_token'),
    },
    hasChatTemplate: typeof file.metadata.get('tokenizer.chat_template') === 'string',
    tensorTypes: [...byType.values()].sort((a, b) => b.bytes - a.bytes),
  };
}
