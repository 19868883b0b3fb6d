#include "kernels/cpu/train/ops_train.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "core/cpu_features.h"
#include "core/thread_pool.h"
#include "kernels/cpu/arch/avx2/ops_avx2.h"
#include "kernels/cpu/ops.h"

namespace dte {

namespace {
// Row chunks of rms_norm_backward's weight gradient: fixed, so the sum order never depends on threads.
constexpr int64_t kNormChunks = 8;
// Elements per parallel piece of the element-wise backward (a multiple of 8).
constexpr int64_t kEltChunk = 4096;

void silu_mul_backward_generic(const float* dout, const float* gate, const float* up, int64_t n, float* dgate,
                               float* dup) {
  for (int64_t i = 0; i < n; ++i) {
    const float g = gate[i];
    const float sg = 1.0f / (1.0f + std::exp(-g));
    dup[i] += dout[i] * g * sg;
    dgate[i] += dout[i] * up[i] * sg * (1.0f + g * (1.0f - sg));
  }
}
}  // namespace

void rms_norm_backward(const float* dy, const float* x, const float* w, int64_t m, int64_t n, float eps, float* dx,
                       float* dw) {
  const int64_t chunks = std::min(kNormChunks, m);
  std::vector<float> partial(static_cast<size_t>(chunks * n), 0.0f);
  global_pool().parallel_for(chunks, [&](int64_t cb, int64_t ce) {
    for (int64_t c = cb; c < ce; ++c) {
      float* pw = partial.data() + c * n;
      for (int64_t i = c * m / chunks; i < (c + 1) * m / chunks; ++i) {
        const float* xr = x + i * n;
        const float* gr = dy + i * n;
        float* dxr = dx + i * n;
        double ss = 0.0;
        for (int64_t j = 0; j < n; ++j) ss += static_cast<double>(xr[j]) * xr[j];
        const float r = 1.0f / std::sqrt(static_cast<float>(ss / static_cast<double>(n)) + eps);
        float dot = 0.0f;
        for (int64_t j = 0; j < n; ++j) dot += gr[j] * w[j] * xr[j];
        const float c2 = dot * r * r / static_cast<float>(n);
        for (int64_t j = 0; j < n; ++j) {
          dxr[j] += r * (gr[j] * w[j] - xr[j] * c2);
          pw[j] += gr[j] * xr[j] * r;
        }
      }
    }
  });
  for (int64_t c = 0; c < chunks; ++c)
    for (int64_t j = 0; j < n; ++j) dw[j] += partial[static_cast<size_t>(c * n + j)];
}

void silu_mul_backward(const float* dout, const float* gate, const float* up, int64_t n, float* dgate, float* dup) {
  const auto fn = uses_avx2(active_isa()) ? &avx2::silu_mul_backward : &silu_mul_backward_generic;
  if (n < 4 * kEltChunk) {
    fn(dout, gate, up, n, dgate, dup);
    return;
  }
  global_pool().parallel_for((n + kEltChunk - 1) / kEltChunk, [&](int64_t b, int64_t e) {
    const int64_t lo = b * kEltChunk;
    const int64_t hi = std::min(n, e * kEltChunk);
    fn(dout + lo, gate + lo, up + lo, hi - lo, dgate + lo, dup + lo);
  });
}

double cross_entropy(const float* logits, const int32_t* targets, int64_t m, int64_t v, float* dlogits) {
  int64_t num = 0;
  for (int64_t i = 0; i < m; ++i) num += targets[i] >= 0 ? 1 : 0;
  std::memcpy(dlogits, logits, static_cast<size_t>(m * v) * sizeof(float));
  softmax(dlogits, m, v);
  std::vector<double> row_loss(static_cast<size_t>(m), 0.0);
  const float inv = num > 0 ? 1.0f / static_cast<float>(num) : 0.0f;
  global_pool().parallel_for(m, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      float* p = dlogits + i * v;
      const int32_t t = targets[i];
      if (t < 0) {
        std::fill(p, p + v, 0.0f);
        continue;
      }
      // log-sum-exp from the largest probability (never tiny: ≥ 1/v), so −log p_t stays exact
      // even where p_t underflows: lse = l_max − log p_max, loss = lse − l_t.
      const int64_t jm = std::max_element(p, p + v) - p;
      const float* l = logits + i * v;
      row_loss[static_cast<size_t>(i)] =
          static_cast<double>(l[jm]) - std::log(static_cast<double>(p[jm])) - static_cast<double>(l[t]);
      for (int64_t j = 0; j < v; ++j) p[j] *= inv;
      p[t] -= inv;
    }
  });
  double loss = 0.0;
  for (double r : row_loss) loss += r;
  return num > 0 ? loss / static_cast<double>(num) : 0.0;
}

}  // namespace dte
