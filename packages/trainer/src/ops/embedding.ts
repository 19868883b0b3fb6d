import { type Vec, zerosLike } from './Vec.ts';

/** Rows of the table [vocab×d] for each token id: out [T×d]. */
export function embeddingForward(table: Vec, ids: Int32Array, d: number): Vec {
  const out = zerosLike(table, ids.length * d);
  ids.forEach((id, t) => {
    out.set(table.subarray(id * d, id * d + d), t * d);
  });
  return out;
}

/** Backward of {@link embeddingForward}: scatter-adds each row's gradient into the table's gradient. */
export function embeddingBackward(dOut: Vec, ids: Int32Array, d: number, dTable: Vec): void {
  ids.forEach((id, t) => {
    for (let j = 0; j < d; j++) dTable[id * d + j]! += dOut[t * d + j]!;
  });
}
