// AVX2+FMA attend-block kernel (see attention.h, detail::AttendBlockFn): q·k dot products and the
// p·v accumulation 8 lanes at a time; scalar tails for head_dim not a multiple of 8.
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "kernels/cpu/attention.h"

namespace dte::avx2 {

namespace {

inline float hsum(__m256 v) {
  __m128 lo = _mm256_castps256_ps128(v);
  __m128 hi = _mm256_extractf128_ps(v, 1);
  lo = _mm_add_ps(lo, hi);
  lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
  lo = _mm_add_ss(lo, _mm_movehdup_ps(lo));
  return _mm_cvtss_f32(lo);
}

inline float dot(const float* a, const float* b, int64_t n) {
  __m256 s0 = _mm256_setzero_ps();
  __m256 s1 = _mm256_setzero_ps();
  int64_t d = 0;
  for (; d + 16 <= n; d += 16) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + d), _mm256_loadu_ps(b + d), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + d + 8), _mm256_loadu_ps(b + d + 8), s1);
  }
  for (; d + 8 <= n; d += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + d), _mm256_loadu_ps(b + d), s0);
  float s = hsum(_mm256_add_ps(s0, s1));
  for (; d < n; ++d) s += a[d] * b[d];
  return s;
}

inline void axpy(float a, const float* x, float* y, int64_t n) {
  const __m256 va = _mm256_set1_ps(a);
  int64_t d = 0;
  for (; d + 8 <= n; d += 8) _mm256_storeu_ps(y + d, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + d), _mm256_loadu_ps(y + d)));
  for (; d < n; ++d) y[d] += a * x[d];
}

inline void scale(float a, float* y, int64_t n) {
  const __m256 va = _mm256_set1_ps(a);
  int64_t d = 0;
  for (; d + 8 <= n; d += 8) _mm256_storeu_ps(y + d, _mm256_mul_ps(va, _mm256_loadu_ps(y + d)));
  for (; d < n; ++d) y[d] *= a;
}

}  // namespace

void attend_block(const float* const* q, int64_t rows, const float* k, const float* v, int64_t n_keys,
                  int64_t kv_stride, int64_t head_dim, const int64_t* limit, float* m, float* l, float* acc,
                  float* scores) {
  (void)n_keys;
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t lim = limit[r];
    if (lim <= 0) continue;
    const float* qr = q[r];
    float mx = -std::numeric_limits<float>::infinity();
    for (int64_t j = 0; j < lim; ++j) {
      const float s = dot(qr, k + j * kv_stride, head_dim);
      scores[j] = s;
      mx = std::max(mx, s);
    }
    float* ar = acc + r * head_dim;
    if (mx > m[r]) {
      const float c = std::exp(m[r] - mx);
      l[r] *= c;
      scale(c, ar, head_dim);
      m[r] = mx;
    }
    float sum = 0.f;
    for (int64_t j = 0; j < lim; ++j) {
      const float p = std::exp(scores[j] - m[r]);
      sum += p;
      axpy(p, v + j * kv_stride, ar, head_dim);
    }
    l[r] += sum;
  }
}

}  // namespace dte::avx2
