/** A dense buffer the ops work on: float32 for training, float64 for gradient checks. */
export type Vec = Float32Array | Float64Array;

/** A zeroed buffer of the same element type as `like`. */
export function zerosLike(like: Vec, n: number): Vec {
  return like instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
}
