import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { GgufError } from './GgufError.ts';
import type { GgufFile, GgufTensor } from './GgufFile.ts';
import { parseGgufPrefix } from './readGguf.ts';

/** A tensor's description without its data. */
export type GgufTensorInfo = Omit<GgufTensor, 'data'>;

/** Everything in a GGUF file but the tensor data (see `readGgufHeader`). */
export interface GgufHeader
  extends Pick<GgufFile, 'version' | 'alignment' | 'dataOffset' | 'metadata' | 'metadataTypes'> {
  /** Size of the whole file in bytes. */
  fileSize: number;
  tensors: GgufTensorInfo[];
}

const FIRST_READ = 1 << 20;
const MAX_HEADER = 1 << 30;

/**
 * Reads only the metadata and tensor infos of a GGUF file, of any size (tensor ranges are still
 * checked against the file size). Reads 1 MiB, then doubles while the header is longer.
 * @example readGgufHeader('llama-70b.gguf').metadata.get('llama.block_count')
 */
export function readGgufHeader(path: string): GgufHeader {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const fileSize = fstatSync(fd).size;
    for (let want = Math.min(FIRST_READ, fileSize); ; want = Math.min(want * 2, fileSize)) {
      const head = new Uint8Array(want);
      let got = 0;
      while (got < want) {
        const n = readSync(fd, head, got, want - got, got);
        if (n === 0) throw new GgufError('DTE_ERR_GGUF_IO', got, `${path} shrank while being read`);
        got += n;
      }
      try {
        const file = parseGgufPrefix(head, fileSize);
        const { version, alignment, dataOffset, metadata, metadataTypes } = file;
        const tensors = file.tensors.map(({ data: _data, ...info }) => info);
        return { version, alignment, dataOffset, metadata, metadataTypes, fileSize, tensors };
      } catch (err) {
        const short = err instanceof GgufError && err.code === 'DTE_ERR_GGUF_TRUNCATED' && want < fileSize;
        if (!short) throw err;
        if (want >= MAX_HEADER)
          throw new GgufError('DTE_ERR_GGUF_IO', want, `${path}: header larger than 1 GiB`, 'readGgufHeader');
      }
    }
  } catch (err) {
    if (err instanceof GgufError) throw err;
    throw new GgufError('DTE_ERR_GGUF_IO', -1, `cannot read ${path}: ${(err as Error).message}`, 'readGgufHeader');
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
