/**
 * GPT-2's reversible byte ↔ unicode mapping used by byte-level BPE vocabularies: printable bytes
 * (`!`..`~`, `¡`..`¬`, `®`..`ÿ`) map to themselves, the other 68 bytes to U+0100.. in byte order.
 * @example BYTE_TO_CHAR[0x20] === 'Ġ'
 */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const out: string[] = new Array(256);
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let n = 0;
  for (let b = 0; b < 256; b++) out[b] = String.fromCharCode(printable(b) ? b : 256 + n++);
  return out;
})();

/** Inverse of {@link BYTE_TO_CHAR}: UTF-16 code unit → byte, -1 for characters outside the mapping. */
export const CHAR_TO_BYTE: Int16Array = (() => {
  const out = new Int16Array(0x200).fill(-1);
  BYTE_TO_CHAR.forEach((c, b) => {
    out[c.charCodeAt(0)] = b;
  });
  return out;
})();
