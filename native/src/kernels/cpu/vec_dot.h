// Per-weight-type dot-product kernels behind matmul, chosen by ISA.
//   prepare(x, out, k): converts one f32 activation row of k elements to the format `dot` reads
//                       (q8_0 blocks for Q8_0/Q4_0 weights, q8_K blocks for Q4_K/Q6_K; null: f32 as is)
//   dot(k, w, x):       one weight row (k elements, ggml layout) · one prepared activation row
//   dot_2xn(k, w, ws, x, xs, rows, out): two weight rows (stride ws) · `rows` (1..4) activation rows
//   dot_xn(k, w, x, xs, rows, out): one weight row · `rows` (2..4) prepared activation rows (stride xs bytes)
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/cpu_features.h"
#include "core/ggml_types.h"

namespace dte {

using prepare_fn = void (*)(const float* x, void* out, int64_t k);
using dot_fn = float (*)(int64_t k, const uint8_t* w, const void* x);
using dot_2xn_fn = void (*)(int64_t k, const uint8_t* w, size_t w_stride, const void* x, size_t x_stride, int rows,
                            float* out);
using dot_xn_fn = void (*)(int64_t k, const uint8_t* w, const void* x, size_t x_stride, int rows, float* out);

struct MatmulKernels {
  prepare_fn prepare;  // null: the activation row is used as f32
  size_t (*prepared_bytes)(int64_t k);
  dot_fn dot;
  dot_xn_fn dot_xn;    // null: matmul calls dot once per activation row
  dot_2xn_fn dot_2xn;  // two weight rows x 1..4 activation rows -> out[r * 2 + j]; may be null
};

/// Kernels for weight type t on the given path (t must be supported).
const MatmulKernels& matmul_kernels(GgmlType t, Isa isa);

namespace generic {
float dot_f32(int64_t k, const uint8_t* w, const void* x);
float dot_f16(int64_t k, const uint8_t* w, const void* x);
float dot_bf16(int64_t k, const uint8_t* w, const void* x);
float dot_q8_0(int64_t k, const uint8_t* w, const void* x);
float dot_q4_0(int64_t k, const uint8_t* w, const void* x);
float dot_q4_K(int64_t k, const uint8_t* w, const void* x);
float dot_q6_K(int64_t k, const uint8_t* w, const void* x);
void dot_f16_xn(int64_t k, const uint8_t* w, const void* x, size_t x_stride, int rows, float* out);
void dot_bf16_xn(int64_t k, const uint8_t* w, const void* x, size_t x_stride, int rows, float* out);
void dot_q4_0_xn(int64_t k, const uint8_t* w, const void* x, size_t x_stride, int rows, float* out);
void dot_q4_K_xn(int64_t k, const uint8_t* w, const void* x, size_t x_stride, int rows, float* out);
void dot_q6_K_xn(int64_t k, const uint8_t* w, const void* x, size_t x_stride, int rows, float* out);
}  // namespace generic

}  // namespace dte
