// Element-wise and row-wise CPU ops on f32 tensors (row-major, rows of n contiguous floats).
//   rms_norm:  x, y [m][n], w [n]:  y = x / sqrt(mean(x^2) + eps) * w   (w may be null: no scaling)
//   rope:      x [m][n_heads][head_dim] in place; pos [m]; llama.cpp semantics (normal: pairs (2i, 2i+1);
//              neox: pairs (i, i + n_rot/2)); dims >= n_rot are left unchanged; YaRN as ggml's rope_yarn;
//              freq_factors (n_rot/2 values, Llama 3's `rope_freqs`) divide each pair's angle, as ggml_rope_ext
//   silu_mul:  out[i] = silu(gate[i]) * up[i], n elements (out may alias gate or up)
//   add_bias:  x [m][n] += b [n]
//   get_rows:  out [m][table.k] = dequantized rows ids[i] of table
//   dequantize_row: k elements of type t from src into out
//   softmax:   in place over each of m rows of n
//   argmax:    index of the first maximum of x[0..n)
#pragma once
#include <cstdint>

#include "core/ggml_types.h"
#include "kernels/cpu/matmul.h"

namespace dte {

void rms_norm(const float* x, const float* w, int64_t m, int64_t n, float eps, float* y);
void rope(float* x, const int32_t* pos, int64_t m, int64_t n_heads, int64_t head_dim, const RopeParams& p);
void silu_mul(const float* gate, const float* up, int64_t n, float* out);
void add_bias(float* x, const float* b, int64_t m, int64_t n);
void get_rows(const WeightView& table, const int32_t* ids, int64_t m, float* out);
void dequantize_row(GgmlType t, const uint8_t* src, int64_t k, float* out);
void softmax(float* x, int64_t m, int64_t n);
int64_t argmax(const float* x, int64_t n);

}  // namespace dte
