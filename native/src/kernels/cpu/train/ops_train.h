// Backward passes of the row-wise and element-wise ops, and the training loss (row-major f32).
//   rms_norm_backward(dy, x, w, m, n, eps, dx, dw): the forward is ops.h's rms_norm, y = x·r·w with
//       r = 1/sqrt(mean(x²) + eps) per row (recomputed here as rms_norm computes it); with x̂ = x·r:
//       dx += r·(dy⊙w − x̂·mean(dy⊙w⊙x̂)), dw += Σ_rows dy⊙x̂
//   silu_mul_backward(dout, gate, up, n, dgate, dup): the forward is out = silu(gate)·up;
//       dgate += dout·up·σ(g)(1 + g(1 − σ(g))), dup += dout·silu(g)
//   cross_entropy(logits [m][v], targets [m], dlogits [m][v]): the mean of −log softmax(logits_i)[t_i]
//       over scored rows (t_i ≥ 0; t_i < 0 is not scored) is returned and dlogits is overwritten with its
//       gradient, (softmax − onehot) / num_scored (zero rows where not scored)
// Every reduction runs in a fixed order whatever the thread count, so results are reproducible.
#pragma once
#include <cstdint>

namespace dte {

void rms_norm_backward(const float* dy, const float* x, const float* w, int64_t m, int64_t n, float eps, float* dx,
                       float* dw);
void silu_mul_backward(const float* dout, const float* gate, const float* up, int64_t n, float* dgate, float* dup);
double cross_entropy(const float* logits, const int32_t* targets, int64_t m, int64_t v, float* dlogits);

}  // namespace dte
