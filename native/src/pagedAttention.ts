import { asNativeError } from './asNativeError.ts';
import { modelBinding, type PagedAttentionArgs } from './modelBinding.ts';

/**
 * Bare paged attention on the CPU: writes this batch's K/V rows into `kCache`/`vCache` at `slotMapping`,
 * then returns causal softmax(q·Kᵀ/√headDim)·V per sequence through its block table, [T][nHead][headDim].
 * The model uses the same kernel per layer; this entry point exists for tests and benchmarks.
 *
 * @example
 * const out = pagedAttention({ q, k, v, kCache, vCache, numBlocks, blockSize, nHead, nHeadKv, headDim, ...batch });
 */
export function pagedAttention(args: PagedAttentionArgs): Float32Array {
  try {
    return modelBinding().pagedAttention(args);
  } catch (err) {
    throw asNativeError(err);
  }
}
