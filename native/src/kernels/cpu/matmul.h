// Matrix multiplication with ggml-layout weights and f32 activations.
//   w: n rows of k elements (a tensor with ne0 = k, ne1 = n), row j at w.data + j * row_bytes(w.type, k)
//   x: [m][k] f32 row-major;  y: [m][n] f32 row-major;  y[i][j] = sum_kk x[i][kk] * W[j][kk]
// Quantized weights: x rows are quantized on the fly to Q8_0 (Q8_0/Q4_0) or Q8_K (Q4_K/Q6_K) and
// integer dot products are used (as ggml does). Runs on the global thread pool.
#pragma once
#include <cstdint>

#include "backend/types.h"

namespace dte {

/// y[i*n + j] = sum_kk x[i*k + kk] * W[j][kk] for i < m. Picks mat-vec or tiled mat-mat internally.
void matmul(const WeightView& w, const float* x, int64_t m, float* y);

}  // namespace dte
