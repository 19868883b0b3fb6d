// AVX2+FMA attend-block kernel (see attention.h, detail::AttendBlockFn). Scores: per-key dot products for a
// few rows (decode), a transposed 4-row × 16-key register tile for many rows (prefill); p·V accumulated in
// registers 32 lanes at a time over a whole block. Scalar tails for any head_dim. No STL here: an inline
// function instantiated in this -mavx2 unit could be picked by the linker for portable code too.
#include <immintrin.h>

#include <math.h>

#include <cstdint>

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

// Scores of many rows against a block: keys are transposed 16 at a time into kt [head_dim][16] so that
// 4 rows × 16 keys accumulate in 8 registers (one broadcast of q per element, no horizontal sums).
constexpr int64_t kTile = 16;
constexpr int64_t kTiledMinRows = 8;

void scores_tiled(const float* const* q, int64_t rows, const float* k, int64_t n_keys, int64_t stride, int64_t hd,
                  float* S, float* kt) {
  alignas(32) float tmp[4][kTile];
  for (int64_t j0 = 0; j0 < n_keys; j0 += kTile) {
    const int64_t nk = n_keys - j0 < kTile ? n_keys - j0 : kTile;
    for (int64_t j = 0; j < kTile; ++j) {
      if (j < nk) {
        const float* kj = k + (j0 + j) * stride;
        for (int64_t d = 0; d < hd; ++d) kt[d * kTile + j] = kj[d];
      } else {
        for (int64_t d = 0; d < hd; ++d) kt[d * kTile + j] = 0.f;
      }
    }
    int64_t r = 0;
    for (; r + 4 <= rows; r += 4) {
      __m256 a00 = _mm256_setzero_ps(), a01 = _mm256_setzero_ps(), a10 = _mm256_setzero_ps(),
             a11 = _mm256_setzero_ps(), a20 = _mm256_setzero_ps(), a21 = _mm256_setzero_ps(),
             a30 = _mm256_setzero_ps(), a31 = _mm256_setzero_ps();
      const float* q0 = q[r];
      const float* q1 = q[r + 1];
      const float* q2 = q[r + 2];
      const float* q3 = q[r + 3];
      for (int64_t d = 0; d < hd; ++d) {
        const __m256 k0 = _mm256_loadu_ps(kt + d * kTile);
        const __m256 k1 = _mm256_loadu_ps(kt + d * kTile + 8);
        __m256 b = _mm256_broadcast_ss(q0 + d);
        a00 = _mm256_fmadd_ps(b, k0, a00);
        a01 = _mm256_fmadd_ps(b, k1, a01);
        b = _mm256_broadcast_ss(q1 + d);
        a10 = _mm256_fmadd_ps(b, k0, a10);
        a11 = _mm256_fmadd_ps(b, k1, a11);
        b = _mm256_broadcast_ss(q2 + d);
        a20 = _mm256_fmadd_ps(b, k0, a20);
        a21 = _mm256_fmadd_ps(b, k1, a21);
        b = _mm256_broadcast_ss(q3 + d);
        a30 = _mm256_fmadd_ps(b, k0, a30);
        a31 = _mm256_fmadd_ps(b, k1, a31);
      }
      _mm256_store_ps(tmp[0], a00);
      _mm256_store_ps(tmp[0] + 8, a01);
      _mm256_store_ps(tmp[1], a10);
      _mm256_store_ps(tmp[1] + 8, a11);
      _mm256_store_ps(tmp[2], a20);
      _mm256_store_ps(tmp[2] + 8, a21);
      _mm256_store_ps(tmp[3], a30);
      _mm256_store_ps(tmp[3] + 8, a31);
      for (int64_t i = 0; i < 4; ++i)
        for (int64_t j = 0; j < nk; ++j) S[(r + i) * n_keys + j0 + j] = tmp[i][j];
    }
    for (; r < rows; ++r) {
      __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
      for (int64_t d = 0; d < hd; ++d) {
        const __m256 b = _mm256_broadcast_ss(q[r] + d);
        a0 = _mm256_fmadd_ps(b, _mm256_loadu_ps(kt + d * kTile), a0);
        a1 = _mm256_fmadd_ps(b, _mm256_loadu_ps(kt + d * kTile + 8), a1);
      }
      _mm256_store_ps(tmp[0], a0);
      _mm256_store_ps(tmp[0] + 8, a1);
      for (int64_t j = 0; j < nk; ++j) S[r * n_keys + j0 + j] = tmp[0][j];
    }
  }
}

// Online-softmax update of one row from its scores s[0..lim) (overwritten by the probabilities).
inline void update_row(float* s, int64_t lim, const float* v, int64_t kv_stride, int64_t hd, float* m, float* l,
                       float* acc) {
  float mx = -INFINITY;
  for (int64_t j = 0; j < lim; ++j) mx = s[j] > mx ? s[j] : mx;
  float c = 1.f;
  if (mx > *m) {
    c = expf(*m - mx);
    *l *= c;
    *m = mx;
  }
  float sum = 0.f;
  for (int64_t j = 0; j < lim; ++j) {
    s[j] = expf(s[j] - *m);
    sum += s[j];
  }
  scale_accumulate(c, s, lim, v, kv_stride, acc, hd);
  *l += sum;
}

}  // namespace

void widen_rows(const uint16_t* src, int64_t stride, int64_t n_rows, int64_t hd, float* dst) {
  for (int64_t j = 0; j < n_rows; ++j) {
    const uint16_t* s = src + j * stride;
    float* o = dst + j * hd;
    int64_t d = 0;
    for (; d + 8 <= hd; d += 8)
      _mm256_storeu_ps(o + d, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + d))));
    for (; d < hd; ++d) o[d] = _cvtsh_ss(s[d]);
  }
}

void narrow(const float* src, int64_t n, uint16_t* dst) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT));
  for (; i < n; ++i) dst[i] = _cvtss_sh(src[i], _MM_FROUND_TO_NEAREST_INT);
}

void attend_block(const float* const* q, int64_t rows, const float* k, const float* v, int64_t n_keys,
                  int64_t kv_stride, int64_t head_dim, const int64_t* limit, float* m, float* l, float* acc,
                  float* scores) {
  if (rows >= kTiledMinRows) {
    // scores has room for rows × n_keys scores followed by a head_dim × 16 transposed key tile.
    float* S = scores;
    float* kt = scores + rows * n_keys;
    scores_tiled(q, rows, k, n_keys, kv_stride, head_dim, S, kt);
    for (int64_t r = 0; r < rows; ++r)
      if (limit[r] > 0) update_row(S + r * n_keys, limit[r], v, kv_stride, head_dim, m + r, l + r, acc + r * head_dim);
    return;
  }
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t lim = limit[r];
    if (lim <= 0) continue;
    for (int64_t j = 0; j < lim; ++j) scores[j] = dot(q[r], k + j * kv_stride, head_dim);
    update_row(scores, lim, v, kv_stride, head_dim, m + r, l + r, acc + r * head_dim);
  }
}

}  // namespace dte::avx2
