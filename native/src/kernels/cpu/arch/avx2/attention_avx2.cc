// AVX2+FMA attend-block kernel (see attention.h, detail::AttendBlockFn): q·k dot products 16 lanes at a
// time, p·v accumulated in registers 32 lanes at a time over a whole block; scalar tails for any head_dim.
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

// acc[0..n) = acc·c + Σ_j p[j]·v_j[0..n), v_j at v + j·stride: 32 lanes kept in registers across all keys,
// so acc is read and written once per block instead of once per key.
inline void scale_accumulate(float c, const float* p, int64_t n_keys, const float* v, int64_t stride, float* acc,
                             int64_t n) {
  const __m256 vc = _mm256_set1_ps(c);
  int64_t d = 0;
  for (; d + 32 <= n; d += 32) {
    __m256 a0 = _mm256_mul_ps(vc, _mm256_loadu_ps(acc + d));
    __m256 a1 = _mm256_mul_ps(vc, _mm256_loadu_ps(acc + d + 8));
    __m256 a2 = _mm256_mul_ps(vc, _mm256_loadu_ps(acc + d + 16));
    __m256 a3 = _mm256_mul_ps(vc, _mm256_loadu_ps(acc + d + 24));
    const float* vd = v + d;
    for (int64_t j = 0; j < n_keys; ++j, vd += stride) {
      const __m256 pj = _mm256_set1_ps(p[j]);
      a0 = _mm256_fmadd_ps(pj, _mm256_loadu_ps(vd), a0);
      a1 = _mm256_fmadd_ps(pj, _mm256_loadu_ps(vd + 8), a1);
      a2 = _mm256_fmadd_ps(pj, _mm256_loadu_ps(vd + 16), a2);
      a3 = _mm256_fmadd_ps(pj, _mm256_loadu_ps(vd + 24), a3);
    }
    _mm256_storeu_ps(acc + d, a0);
    _mm256_storeu_ps(acc + d + 8, a1);
    _mm256_storeu_ps(acc + d + 16, a2);
    _mm256_storeu_ps(acc + d + 24, a3);
  }
  for (; d + 8 <= n; d += 8) {
    __m256 a0 = _mm256_mul_ps(vc, _mm256_loadu_ps(acc + d));
    for (int64_t j = 0; j < n_keys; ++j) a0 = _mm256_fmadd_ps(_mm256_set1_ps(p[j]), _mm256_loadu_ps(v + j * stride + d), a0);
    _mm256_storeu_ps(acc + d, a0);
  }
  for (; d < n; ++d) {
    float a = acc[d] * c;
    for (int64_t j = 0; j < n_keys; ++j) a += p[j] * v[j * stride + d];
    acc[d] = a;
  }
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
    float c = 1.f;
    if (mx > m[r]) {
      c = std::exp(m[r] - mx);
      l[r] *= c;
      m[r] = mx;
    }
    float sum = 0.f;
    for (int64_t j = 0; j < lim; ++j) {
      scores[j] = std::exp(scores[j] - m[r]);
      sum += scores[j];
    }
    scale_accumulate(c, scores, lim, v, kv_stride, acc + r * head_dim, head_dim);
    l[r] += sum;
  }
}

}  // namespace dte::avx2
