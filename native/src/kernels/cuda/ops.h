// The CUDA kernels' launchers (one .cu per op, as in ggml-cuda). Pointers are device memory; every
// launcher queues on `stream` and returns without waiting. Shapes as in backend/backend.h.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "backend/types.h"

namespace dte::cuda {

void get_rows(const WeightView& table, const int32_t* ids, int64_t m, float* out, cudaStream_t s);
void rms_norm(const float* x, const float* w, int64_t m, int64_t n, float eps, float* y, cudaStream_t s);
void add_rms_norm(float* x, const float* r, const float* w, int64_t m, int64_t n, float eps, float* y,
                  cudaStream_t s);
void add_bias(float* x, const float* b, int64_t m, int64_t n, cudaStream_t s);
void silu_mul(const float* gate, const float* up, int64_t n, float* out, cudaStream_t s);
void gather_rows(const float* src, const int32_t* idx, int64_t n_rows, int64_t width, float* dst, cudaStream_t s);
/// y [m][w.n] = x [m][w.k] · Wᵀ: mat-vec (m ≤ 8 columns share each weight read) or tiled GEMM.
void matmul(const WeightView& w, const float* x, int64_t m, float* y, cudaStream_t s);
void rope_kv_write(float* q, float* k, const float* v, const int32_t* pos, int64_t n_tokens, int64_t n_head,
                   const RopeParams& rope, const KvCacheView& cache, const int32_t* slot_mapping, cudaStream_t s);
/// Floats of scratch paged_attention needs for its split-KV pass (0 when it will not split).
int64_t paged_attention_scratch(const PagedBatch& b, int64_t n_head, int64_t head_dim, int sm_count);
void paged_attention(const KvCacheView& cache, const PagedBatch& b, const float* q, int64_t n_head, float scale,
                     float* out, float* scratch, int sm_count, cudaStream_t s);
/// out[r] = index of the first maximum of row r of x [m][n] (greedy sampling on the device).
void argmax_rows(const float* x, int64_t m, int64_t n, int32_t* out, cudaStream_t s);

}  // namespace dte::cuda
