// AVX2/FMA element-wise kernels behind ops.cc (call only when isa_available(Isa::Avx2)).
//   silu_mul(gate, up, n, out): out = gate * sigmoid(gate) * up
//   softmax_row(x, n): in place; entries at -inf become exactly 0
//   silu_mul_backward(dout, gate, up, n, dgate, dup): dgate += dout·up·σ(g)(1 + g(1 − σ(g))), dup += dout·silu(g)
#pragma once
#include <cstdint>

namespace dte::avx2 {
void silu_mul(const float* gate, const float* up, int64_t n, float* out);
void softmax_row(float* x, int64_t n);
void silu_mul_backward(const float* dout, const float* gate, const float* up, int64_t n, float* dgate, float* dup);
}  // namespace dte::avx2
