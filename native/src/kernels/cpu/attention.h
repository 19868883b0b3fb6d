// Paged attention with KV-cache write, for a flattened batch of variable-length sequences
// (prefill chunks and decodes mixed in one batch).
//
// Layouts (all f32, row-major, innermost last):
//   q                 [T][n_head][head_dim]
//   k, v (this batch) [T][n_head_kv][head_dim]
//   k_cache, v_cache  [num_blocks][block_size][n_head_kv][head_dim] (f32, or f16 rounded to nearest even)
//   out               [T][n_head][head_dim]
//   positions [T], slot_mapping [T], seq_starts [S+1], context_lens [S],
//   block_tables [S][max_blocks_per_seq] (-1 padded).
// Key position j of sequence s lives in slot block_tables[s][j / block_size] * block_size + j % block_size.
// Query token t (position p, sequence s) attends to keys 0..p of s (causal), GQA head h → kv head
// h / (n_head / n_head_kv), scale 1/sqrt(head_dim) unless given.
#pragma once

#include <cstdint>

#include "backend/types.h"

namespace dte {

/// Writes this batch's k/v rows into the cache at slot_mapping.
void kv_cache_write(const KvCacheView& cache, const float* k, const float* v, const int32_t* slot_mapping,
                    int64_t n_tokens);

/// out = causal softmax(q·Kᵀ·scale)·V over each sequence's paged keys, on the global pool.
/// The batch must have passed check_paged_batch and its K/V must already be in the cache.
void paged_attention(const KvCacheView& cache, const PagedBatch& b, const float* q, int64_t n_head, float scale,
                     float* out);

namespace detail {
/// Online-softmax update of `rows` query rows against `n_keys` consecutive cached keys.
/// q: rows pointers (pre-scaled), k/v: first key, key stride `kv_stride` floats; limit[r]: keys visible
/// to row r (≤ n_keys); m, l: running max/sum per row; acc: rows × head_dim; scores: scratch of
/// attend_block_scratch(rows, n_keys, head_dim) floats.
using AttendBlockFn = void (*)(const float* const* q, int64_t rows, const float* k, const float* v,
                               int64_t n_keys, int64_t kv_stride, int64_t head_dim, const int64_t* limit, float* m,
                               float* l, float* acc, float* scores);
/// Scratch floats an AttendBlockFn needs.
inline int64_t attend_block_scratch(int64_t rows, int64_t n_keys, int64_t head_dim) {
  return rows * n_keys + head_dim * 16;
}
void attend_block_generic(const float* const* q, int64_t rows, const float* k, const float* v, int64_t n_keys,
                          int64_t kv_stride, int64_t head_dim, const int64_t* limit, float* m, float* l, float* acc,
                          float* scores);

/// dst[j][0..hd) = src row j widened from f16, rows `stride` elements apart (exact conversion).
using WidenRowsFn = void (*)(const uint16_t* src, int64_t stride, int64_t n_rows, int64_t hd, float* dst);
/// dst[0..n) = src rounded to f16 (nearest even).
using NarrowFn = void (*)(const float* src, int64_t n, uint16_t* dst);
void widen_rows_generic(const uint16_t* src, int64_t stride, int64_t n_rows, int64_t hd, float* dst);
void narrow_generic(const float* src, int64_t n, uint16_t* dst);
}  // namespace detail

namespace avx2 {
void widen_rows(const uint16_t* src, int64_t stride, int64_t n_rows, int64_t hd, float* dst);
void narrow(const float* src, int64_t n, uint16_t* dst);
void attend_block(const float* const* q, int64_t rows, const float* k, const float* v, int64_t n_keys,
                  int64_t kv_stride, int64_t head_dim, const int64_t* limit, float* m, float* l, float* acc,
                  float* scores);
}  // namespace avx2

}  // namespace dte
