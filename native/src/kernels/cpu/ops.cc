// Row-wise f32 ops (portable C++; the compiler vectorises the inner loops). Shapes in ops.h.
#include "kernels/cpu/ops.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/cpu_features.h"
#include "core/thread_pool.h"
#include "kernels/cpu/arch/avx2/ops_avx2.h"

namespace dte {

namespace {
// Parallelise over rows only when the work is worth waking the pool for.
template <typename F>
void for_rows(int64_t m, int64_t n, F&& f) {
  if (m > 1 && m * n >= 16384) {
    global_pool().parallel_for(m, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) f(i);
    });
  } else {
    for (int64_t i = 0; i < m; ++i) f(i);
  }
}
}  // namespace

void rms_norm(const float* x, const float* w, int64_t m, int64_t n, float eps, float* y) {
  for_rows(m, n, [&](int64_t i) {
    const float* xr = x + i * n;
    float* yr = y + i * n;
    double ss = 0.0;
    for (int64_t j = 0; j < n; ++j) ss += static_cast<double>(xr[j]) * xr[j];
    const float scale = 1.0f / std::sqrt(static_cast<float>(ss / static_cast<double>(n)) + eps);
    if (w != nullptr) {
      for (int64_t j = 0; j < n; ++j) yr[j] = xr[j] * scale * w[j];
    } else {
      for (int64_t j = 0; j < n; ++j) yr[j] = xr[j] * scale;
    }
  });
}

namespace {
float yarn_corr_dim(int n_dims, int n_ctx_orig, float n_rot, float base) {
  return static_cast<float>(n_dims) * std::log(static_cast<float>(n_ctx_orig) / (n_rot * 2.0f * static_cast<float>(M_PI))) /
         (2.0f * std::log(base));
}

float yarn_ramp(float low, float high, int i0) {
  const float y = (static_cast<float>(i0 / 2) - low) / std::max(0.001f, high - low);
  return 1.0f - std::min(1.0f, std::max(0.0f, y));
}
}  // namespace

void rope(float* x, const int32_t* pos, int64_t m, int64_t n_heads, int64_t head_dim, const RopeParams& p) {
  const int n_dims = std::min<int>(p.n_rot, static_cast<int>(head_dim));
  if (n_dims < 2) return;
  const float theta_scale = std::pow(p.freq_base, -2.0f / static_cast<float>(n_dims));
  float corr[2] = {0.0f, 0.0f};
  if (p.ext_factor != 0.0f) {
    const float start = std::floor(yarn_corr_dim(n_dims, p.n_ctx_orig, p.beta_fast, p.freq_base));
    const float end = std::ceil(yarn_corr_dim(n_dims, p.n_ctx_orig, p.beta_slow, p.freq_base));
    corr[0] = std::max(0.0f, start);
    corr[1] = std::min(static_cast<float>(n_dims - 1), end);
  }
  for_rows(m, n_heads * head_dim, [&](int64_t i) {
    // cos/sin for this position, one pair per rotated dimension pair (ggml's rope cache)
    std::vector<float> cs(static_cast<size_t>(n_dims));
    float theta = static_cast<float>(pos[i]);
    for (int i0 = 0; i0 < n_dims; i0 += 2) {
      const float theta_extrap = p.freq_factors != nullptr ? theta / p.freq_factors[i0 / 2] : theta;
      const float theta_interp = p.freq_scale * theta_extrap;
      float t = theta_interp;
      float mscale = p.attn_factor;
      if (p.ext_factor != 0.0f) {
        const float mix = yarn_ramp(corr[0], corr[1], i0) * p.ext_factor;
        t = theta_interp * (1.0f - mix) + theta_extrap * mix;
        mscale *= 1.0f + 0.1f * std::log(1.0f / p.freq_scale);
      }
      cs[static_cast<size_t>(i0)] = std::cos(t) * mscale;
      cs[static_cast<size_t>(i0) + 1] = std::sin(t) * mscale;
      theta *= theta_scale;
    }
    for (int64_t h = 0; h < n_heads; ++h) {
      float* v = x + (i * n_heads + h) * head_dim;
      for (int i0 = 0; i0 < n_dims; i0 += 2) {
        const float c = cs[static_cast<size_t>(i0)];
        const float s = cs[static_cast<size_t>(i0) + 1];
        const int a = p.neox ? i0 / 2 : i0;
        const int b = p.neox ? i0 / 2 + n_dims / 2 : i0 + 1;
        const float x0 = v[a];
        const float x1 = v[b];
        v[a] = x0 * c - x1 * s;
        v[b] = x0 * s + x1 * c;
      }
    }
  });
}

namespace {
void silu_mul_generic(const float* gate, const float* up, int64_t n, float* out) {
  for (int64_t i = 0; i < n; ++i) {
    const float g = gate[i];
    out[i] = g / (1.0f + std::exp(-g)) * up[i];
  }
}
}  // namespace

void silu_mul(const float* gate, const float* up, int64_t n, float* out) {
  const auto fn = uses_avx2(active_isa()) ? &avx2::silu_mul : &silu_mul_generic;
  constexpr int64_t kChunk = 4096;  // elements per parallel piece (a multiple of 8)
  if (n < 8 * kChunk) {
    fn(gate, up, n, out);
    return;
  }
  global_pool().parallel_for((n + kChunk - 1) / kChunk, [&](int64_t b, int64_t e) {
    const int64_t lo = b * kChunk;
    const int64_t hi = std::min(n, e * kChunk);
    fn(gate + lo, up + lo, hi - lo, out + lo);
  });
}

void add_bias(float* x, const float* b, int64_t m, int64_t n) {
  for (int64_t i = 0; i < m; ++i) {
    float* r = x + i * n;
    for (int64_t j = 0; j < n; ++j) r[j] += b[j];
  }
}

void get_rows(const WeightView& table, const int32_t* ids, int64_t m, float* out) {
  const size_t rb = row_bytes(table.type, table.k);
  for (int64_t i = 0; i < m; ++i) {
    dequantize_row(table.type, table.data + rb * static_cast<size_t>(ids[i]), table.k, out + i * table.k);
  }
}

void softmax(float* x, int64_t m, int64_t n) {
  if (uses_avx2(active_isa())) {
    for_rows(m, n, [&](int64_t i) { avx2::softmax_row(x + i * n, n); });
    return;
  }
  for_rows(m, n, [&](int64_t i) {
    float* r = x + i * n;
    float mx = -INFINITY;
    for (int64_t j = 0; j < n; ++j) mx = std::max(mx, r[j]);
    if (mx == -INFINITY) {
      // every entry masked: uniform is undefined; ggml yields NaN-free zeros
      for (int64_t j = 0; j < n; ++j) r[j] = 0.0f;
      return;
    }
    double sum = 0.0;
    for (int64_t j = 0; j < n; ++j) {
      r[j] = std::exp(r[j] - mx);
      sum += r[j];
    }
    const float inv = static_cast<float>(1.0 / sum);
    for (int64_t j = 0; j < n; ++j) r[j] *= inv;
  });
}

int64_t argmax(const float* x, int64_t n) {
  int64_t best = 0;
  for (int64_t i = 1; i < n; ++i) {
    if (x[i] > x[best]) best = i;
  }
  return n > 0 ? best : -1;
}

}  // namespace dte
