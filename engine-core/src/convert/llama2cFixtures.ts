// Test-only fixtures (not exported from the barrel).

/** A tiny llama2.c checkpoint: dim 8, hidden 12, 2 layers, 2 heads / 1 kv head, vocab 5, seq 4. */
export function tinyCheckpoint(shared: boolean): Uint8Array {
  const [dim, hidden, layers, heads, kv, vocab, seq] = [8, 12, 2, 2, 1, 5, 4];
  const hs = dim / heads;
  const floats =
    vocab * dim +
    layers * (2 * dim + 2 * dim * dim + 2 * dim * kv * hs + 3 * dim * hidden) +
    dim +
    seq * hs +
    (shared ? 0 : vocab * dim);
  const b = new Uint8Array(28 + floats * 4);
  const v = new DataView(b.buffer);
  [dim, hidden, layers, heads, kv, shared ? vocab : -vocab, seq].forEach((x, i) => {
    v.setInt32(i * 4, x, true);
  });
  for (let i = 0; i < floats; i++) v.setFloat32(28 + i * 4, i * 0.001, true);
  return b;
}

/** A llama2.c tokenizer.bin holding `pieces` with scores 0, -1, -2, ... */
export function tinyTokenizer(pieces: string[]): Uint8Array {
  const enc = pieces.map((p) => new TextEncoder().encode(p));
  const b = new Uint8Array(4 + enc.reduce((n, e) => n + 8 + e.length, 0));
  const v = new DataView(b.buffer);
  v.setInt32(0, 16, true);
  let pos = 4;
  enc.forEach((e, i) => {
    v.setFloat32(pos, -i, true);
    v.setInt32(pos + 4, e.length, true);
    b.set(e, pos + 8);
    pos += 8 + e.length;
  });
  return b;
}
