// AVX2 + FMA + F16C dot-product kernels (compiled into the dte_avx2 library with -mavx2 -mfma -mf16c;
// call only when isa_available(Isa::Avx2)). Signatures as in kernels/cpu/vec_dot.h.
#pragma once
#include <cstddef>
#include <cstdint>

namespace dte::avx2 {
float dot_f32(int64_t k, const uint8_t* w, const void* x);
float dot_f16(int64_t k, const uint8_t* w, const void* x);
float dot_bf16(int64_t k, const uint8_t* w, const void* x);
float dot_q8_0(int64_t k, const uint8_t* w, const void* x);
float dot_q4_0(int64_t k, const uint8_t* w, const void* x);
float dot_q4_K(int64_t k, const uint8_t* w, const void* x);
float dot_q6_K(int64_t k, const uint8_t* w, const void* x);
// one weight row against `rows` (2..4) activation rows (x + r * x_stride bytes) -> out[0..rows-1]
void dot_f32_xn(int64_t k, const uint8_t* w, const void* x, size_t x_stride, int rows, float* out);
void dot_f16_xn(int64_t k, const uint8_t* w, const void* x, size_t x_stride, int rows, float* out);
void dot_bf16_xn(int64_t k, const uint8_t* w, const void* x, size_t x_stride, int rows, float* out);
void dot_q8_0_xn(int64_t k, const uint8_t* w, const void* x, size_t x_stride, int rows, float* out);
void dot_q4_0_xn(int64_t k, const uint8_t* w, const void* x, size_t x_stride, int rows, float* out);
void dot_q4_K_xn(int64_t k, const uint8_t* w, const void* x, size_t x_stride, int rows, float* out);
void dot_q6_K_xn(int64_t k, const uint8_t* w, const void* x, size_t x_stride, int rows, float* out);
// two weight rows (w, w + w_stride bytes) against `rows` (1..4) activation rows -> out[r * 2 + j]
void dot_f32_2xn(int64_t k, const uint8_t* w, size_t w_stride, const void* x, size_t x_stride, int rows, float* out);
void dot_f16_2xn(int64_t k, const uint8_t* w, size_t w_stride, const void* x, size_t x_stride, int rows, float* out);
void dot_bf16_2xn(int64_t k, const uint8_t* w, size_t w_stride, const void* x, size_t x_stride, int rows, float* out);
void quantize_row_q8_K(const float* x, void* out, int64_t k);
// f32 -> block_q8_0s (activations for q8_0 and q4_0 weights on this path)
void quantize_row_q8_0s(const float* x, void* out, int64_t k);
}  // namespace dte::avx2
