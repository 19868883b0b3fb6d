// AVX2 multi-row dot products for mat-mat and batched decode: one weight row against R = 2..4
// prepared activation rows (x + r * x_stride bytes) -> out[0..R-1]. The weight block is loaded and
// unpacked once and reused for the R rows, and the R independent accumulators keep the FMA ports busy.
// Block decoding is the same as in vec_dot_avx2.cc (see that header for the formats).
#include <immintrin.h>

#include "kernels/cpu/arch/avx2/vec_dot_avx2.h"
#include "kernels/cpu/quants.h"

namespace dte::avx2 {

namespace {

inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

inline int hsum_i32(__m256i v) {
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
  return _mm_cvtsi128_si32(s);
}

inline __m256i ld(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }

template <typename Row>
inline const Row* row(const void* x, size_t stride, int r) {
  return reinterpret_cast<const Row*>(static_cast<const uint8_t*>(x) + stride * static_cast<size_t>(r));
}

// |w| and the four sign-adjusted activation rows -> four i32x8 partial sums (signed i8 x i8)
template <int R>
inline void dot_i8_xr(__m256i wq, const __m256i* xq, __m256i* out) {
  const __m256i aw = _mm256_sign_epi8(wq, wq);
  const __m256i one = _mm256_set1_epi16(1);
  for (int r = 0; r < R; ++r) out[r] = _mm256_madd_epi16(_mm256_maddubs_epi16(aw, _mm256_sign_epi8(xq[r], wq)), one);
}

template <int R, typename Load, typename Scalar>
inline void float_xr(int64_t k, const void* x, size_t stride, float* out, Load load_w, Scalar scalar_w) {
  const float* xr[R];
  for (int r = 0; r < R; ++r) xr[r] = row<float>(x, stride, r);
  __m256 acc[R];
  for (int r = 0; r < R; ++r) acc[r] = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 8 <= k; i += 8) {
    const __m256 w = load_w(i);
    for (int r = 0; r < R; ++r) acc[r] = _mm256_fmadd_ps(w, _mm256_loadu_ps(xr[r] + i), acc[r]);
  }
  for (int r = 0; r < R; ++r) out[r] = hsum(acc[r]);
  for (; i < k; ++i) {
    const float w = scalar_w(i);
    for (int r = 0; r < R; ++r) out[r] += w * xr[r][i];
  }
}


// two weight rows (w, w + w_stride bytes) x R activation rows -> out[r * 2 + j]; 2R accumulators
template <int R, typename Load, typename Scalar>
inline void float_2xr(int64_t k, const void* x, size_t stride, float* out, Load load_w, Scalar scalar_w) {
  const float* xr[R];
  for (int r = 0; r < R; ++r) xr[r] = row<float>(x, stride, r);
  __m256 acc[2 * R];
  for (int r = 0; r < 2 * R; ++r) acc[r] = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 8 <= k; i += 8) {
    const __m256 w0 = load_w(0, i);
    const __m256 w1 = load_w(1, i);
    for (int r = 0; r < R; ++r) {
      const __m256 xv = _mm256_loadu_ps(xr[r] + i);
      acc[2 * r] = _mm256_fmadd_ps(w0, xv, acc[2 * r]);
      acc[2 * r + 1] = _mm256_fmadd_ps(w1, xv, acc[2 * r + 1]);
    }
  }
  for (int r = 0; r < 2 * R; ++r) out[r] = hsum(acc[r]);
  for (; i < k; ++i) {
    const float a0 = scalar_w(0, i);
    const float a1 = scalar_w(1, i);
    for (int r = 0; r < R; ++r) {
      out[2 * r] += a0 * xr[r][i];
      out[2 * r + 1] += a1 * xr[r][i];
    }
  }
}

template <int R>
void f32_2xr(int64_t k, const uint8_t* w, size_t ws, const void* x, size_t stride, float* out) {
  const float* a[2] = {reinterpret_cast<const float*>(w), reinterpret_cast<const float*>(w + ws)};
  float_2xr<R>(k, x, stride, out, [&a](int j, int64_t i) { return _mm256_loadu_ps(a[j] + i); },
               [&a](int j, int64_t i) { return a[j][i]; });
}

template <int R>
void f16_2xr(int64_t k, const uint8_t* w, size_t ws, const void* x, size_t stride, float* out) {
  const uint16_t* a[2] = {reinterpret_cast<const uint16_t*>(w), reinterpret_cast<const uint16_t*>(w + ws)};
  float_2xr<R>(
      k, x, stride, out,
      [&a](int j, int64_t i) { return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a[j] + i))); },
      [&a](int j, int64_t i) { return _cvtsh_ss(a[j][i]); });
}

template <int R>
void bf16_2xr(int64_t k, const uint8_t* w, size_t ws, const void* x, size_t stride, float* out) {
  const uint16_t* a[2] = {reinterpret_cast<const uint16_t*>(w), reinterpret_cast<const uint16_t*>(w + ws)};
  float_2xr<R>(
      k, x, stride, out,
      [&a](int j, int64_t i) {
        const __m256i v = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a[j] + i)));
        return _mm256_castsi256_ps(_mm256_slli_epi32(v, 16));
      },
      [&a](int j, int64_t i) { return _mm_cvtss_f32(_mm_castsi128_ps(_mm_cvtsi32_si128(static_cast<int>(a[j][i]) << 16))); });
}

template <int R>
void f32_xr(int64_t k, const uint8_t* w, const void* x, size_t stride, float* out) {
  const float* a = reinterpret_cast<const float*>(w);
  float_xr<R>(k, x, stride, out, [a](int64_t i) { return _mm256_loadu_ps(a + i); },
           [a](int64_t i) { return a[i]; });
}

template <int R>
void f16_xr(int64_t k, const uint8_t* w, const void* x, size_t stride, float* out) {
  const uint16_t* a = reinterpret_cast<const uint16_t*>(w);
  float_xr<R>(k, x, stride, out,
           [a](int64_t i) { return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i))); },
           [a](int64_t i) { return _cvtsh_ss(a[i]); });
}

template <int R>
void bf16_xr(int64_t k, const uint8_t* w, const void* x, size_t stride, float* out) {
  const uint16_t* a = reinterpret_cast<const uint16_t*>(w);
  float_xr<R>(
      k, x, stride, out,
      [a](int64_t i) {
        const __m256i v = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i)));
        return _mm256_castsi256_ps(_mm256_slli_epi32(v, 16));
      },
      [a](int64_t i) {
        const int bits = static_cast<int>(a[i]) << 16;
        return _mm_cvtss_f32(_mm_castsi128_ps(_mm_cvtsi32_si128(bits)));
      });
}

template <int R>
void q8_0_xr(int64_t k, const uint8_t* w, const void* x, size_t stride, float* out) {
  const block_q8_0* a = reinterpret_cast<const block_q8_0*>(w);
  const block_q8_0s* xr[R];
  for (int r = 0; r < R; ++r) xr[r] = row<block_q8_0s>(x, stride, r);
  __m256 acc[R];
  for (int r = 0; r < R; ++r) acc[r] = _mm256_setzero_ps();
  for (int64_t b = 0; b < k / QK8_0; ++b) {
    __m256i xq[R], p[R];
    for (int r = 0; r < R; ++r) xq[r] = ld(xr[r][b].qs);
    dot_i8_xr<R>(ld(a[b].qs), xq, p);
    const float dw = _cvtsh_ss(a[b].d);
    for (int r = 0; r < R; ++r) acc[r] = _mm256_fmadd_ps(_mm256_set1_ps(dw * xr[r][b].d), _mm256_cvtepi32_ps(p[r]), acc[r]);
  }
  for (int r = 0; r < R; ++r) out[r] = hsum(acc[r]);
}

template <int R>
void q4_0_xr(int64_t k, const uint8_t* w, const void* x, size_t stride, float* out) {
  // raw nibbles (0..15) against q8_0s rows; the -8 offset comes back through the rows' s = d·Σq
  const block_q4_0* a = reinterpret_cast<const block_q4_0*>(w);
  const block_q8_0s* xr[R];
  for (int r = 0; r < R; ++r) xr[r] = row<block_q8_0s>(x, stride, r);
  const __m256i low4 = _mm256_set1_epi8(0x0F);
  const __m256i ones = _mm256_set1_epi16(1);
  __m256 acc[R];
  float corr[R] = {};
  for (int r = 0; r < R; ++r) acc[r] = _mm256_setzero_ps();
  for (int64_t b = 0; b < k / QK4_0; ++b) {
    const __m128i raw = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a[b].qs));
    const __m256i wq = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(raw, 4), raw), low4);
    const float dw = _cvtsh_ss(a[b].d);
    for (int r = 0; r < R; ++r) {
      const __m256i p = _mm256_madd_epi16(_mm256_maddubs_epi16(wq, ld(xr[r][b].qs)), ones);
      acc[r] = _mm256_fmadd_ps(_mm256_set1_ps(dw * xr[r][b].d), _mm256_cvtepi32_ps(p), acc[r]);
      corr[r] += dw * xr[r][b].s;
    }
  }
  for (int r = 0; r < R; ++r) out[r] = hsum(acc[r]) - 8.0f * corr[r];
}

template <int R>
void q4_K_xr(int64_t k, const uint8_t* w, const void* x, size_t stride, float* out) {
  const block_q4_K* a = reinterpret_cast<const block_q4_K*>(w);
  const block_q8_K* xr[R];
  for (int r = 0; r < R; ++r) xr[r] = row<block_q8_K>(x, stride, r);
  const __m256i low4 = _mm256_set1_epi8(0x0F);
  __m256 acc[R];
  for (int r = 0; r < R; ++r) acc[r] = _mm256_setzero_ps();
  for (int64_t b = 0; b < k / QK_K; ++b) {
    alignas(16) uint8_t sm[16];
    q4k_unpack_scales(a[b].scales, sm);
    const uint8_t* sc = sm;
    // each min paired with its sub-block's two bsums (see dot_q4_K)
    const __m128i m8 = _mm_cvtepu8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(sm + 8)));
    const __m256i mins = _mm256_set_m128i(_mm_unpackhi_epi16(m8, m8), _mm_unpacklo_epi16(m8, m8));
    const float d = _cvtsh_ss(a[b].d);
    const float dmin = _cvtsh_ss(a[b].dmin);
    __m256i sumi[R];
    for (int r = 0; r < R; ++r) sumi[r] = _mm256_setzero_si256();
    for (int j = 0; j < 4; ++j) {
      const __m256i bits = ld(a[b].qs + 32 * j);
      const __m256i lo = _mm256_and_si256(bits, low4);
      const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(bits, 4), low4);
      const __m256i slo = _mm256_set1_epi16(sc[2 * j]);
      const __m256i shi = _mm256_set1_epi16(sc[2 * j + 1]);
      for (int r = 0; r < R; ++r) {
        const int8_t* q8 = xr[r][b].qs + 64 * j;
        sumi[r] = _mm256_add_epi32(sumi[r], _mm256_madd_epi16(_mm256_maddubs_epi16(lo, ld(q8)), slo));
        sumi[r] = _mm256_add_epi32(sumi[r], _mm256_madd_epi16(_mm256_maddubs_epi16(hi, ld(q8 + 32)), shi));
      }
    }
    for (int r = 0; r < R; ++r) {
      const block_q8_K& xb = xr[r][b];
      const __m256i msum = _mm256_madd_epi16(ld(xb.bsums), mins);
      acc[r] = _mm256_fmadd_ps(_mm256_set1_ps(xb.d * d), _mm256_cvtepi32_ps(sumi[r]), acc[r]);
      acc[r] = _mm256_fnmadd_ps(_mm256_set1_ps(xb.d * dmin), _mm256_cvtepi32_ps(msum), acc[r]);
    }
  }
  for (int r = 0; r < R; ++r) out[r] = hsum(acc[r]);
}

template <int R>
void q6_K_xr(int64_t k, const uint8_t* w, const void* x, size_t stride, float* out) {
  const block_q6_K* a = reinterpret_cast<const block_q6_K*>(w);
  const block_q8_K* xr[R];
  for (int r = 0; r < R; ++r) xr[r] = row<block_q8_K>(x, stride, r);
  const __m256i m4 = _mm256_set1_epi8(0x0F);
  const __m256i m30 = _mm256_set1_epi8(0x30);
  __m256 acc[R];
  for (int r = 0; r < R; ++r) acc[r] = _mm256_setzero_ps();
  for (int64_t b = 0; b < k / QK_K; ++b) {
    const int8_t* sc = a[b].scales;
    __m256i sumi[R];
    for (int r = 0; r < R; ++r) sumi[r] = _mm256_setzero_si256();
    for (int h = 0; h < 2; ++h) {
      const __m256i l0 = ld(a[b].ql + 64 * h);
      const __m256i l1 = ld(a[b].ql + 64 * h + 32);
      const __m256i hb = ld(a[b].qh + 32 * h);
      __m256i q[4];
      q[0] = _mm256_or_si256(_mm256_and_si256(l0, m4), _mm256_and_si256(_mm256_slli_epi16(hb, 4), m30));
      q[1] = _mm256_or_si256(_mm256_and_si256(l1, m4), _mm256_and_si256(_mm256_slli_epi16(hb, 2), m30));
      q[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), m4), _mm256_and_si256(hb, m30));
      q[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), m4), _mm256_and_si256(_mm256_srli_epi16(hb, 2), m30));
      const int8_t* s = sc + 8 * h;
      for (int j = 0; j < 4; ++j) {
        const __m256i scv = _mm256_set_m128i(_mm_set1_epi16(s[2 * j + 1]), _mm_set1_epi16(s[2 * j]));
        for (int r = 0; r < R; ++r) {
          const __m256i p = _mm256_maddubs_epi16(q[j], ld(xr[r][b].qs + 128 * h + 32 * j));
          sumi[r] = _mm256_add_epi32(sumi[r], _mm256_madd_epi16(p, scv));
        }
      }
    }
    const float d = _cvtsh_ss(a[b].d);
    const __m256i sc16 = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(sc)));
    for (int r = 0; r < R; ++r) {
      const block_q8_K& xb = xr[r][b];
      const __m256i offset = _mm256_madd_epi16(sc16, ld(xb.bsums));
      const __m256i total = _mm256_sub_epi32(sumi[r], _mm256_slli_epi32(offset, 5));
      acc[r] = _mm256_fmadd_ps(_mm256_set1_ps(xb.d * d), _mm256_cvtepi32_ps(total), acc[r]);
    }
  }
  for (int r = 0; r < R; ++r) out[r] = hsum(acc[r]);
}

}  // namespace

#define DTE_DOT_XN(name)                                                                                  \
  void dot_##name##_xn(int64_t k, const uint8_t* w, const void* x, size_t stride, int rows, float* out) { \
    switch (rows) {                                                                                       \
      case 2: name##_xr<2>(k, w, x, stride, out); return;                                                 \
      case 3: name##_xr<3>(k, w, x, stride, out); return;                                                 \
      default: name##_xr<4>(k, w, x, stride, out); return;                                                \
    }                                                                                                     \
  }
DTE_DOT_XN(f32)
DTE_DOT_XN(f16)
DTE_DOT_XN(bf16)
DTE_DOT_XN(q8_0)
DTE_DOT_XN(q4_0)
DTE_DOT_XN(q4_K)
DTE_DOT_XN(q6_K)
#undef DTE_DOT_XN

#define DTE_DOT_2XN(name)                                                                                       \
  void dot_##name##_2xn(int64_t k, const uint8_t* w, size_t ws, const void* x, size_t stride, int rows,         \
                        float* out) {                                                                           \
    switch (rows) {                                                                                             \
      case 1: name##_2xr<1>(k, w, ws, x, stride, out); return;                                                  \
      case 2: name##_2xr<2>(k, w, ws, x, stride, out); return;                                                  \
      case 3: name##_2xr<3>(k, w, ws, x, stride, out); return;                                                  \
      default: name##_2xr<4>(k, w, ws, x, stride, out); return;                                                 \
    }                                                                                                           \
  }
DTE_DOT_2XN(f32)
DTE_DOT_2XN(f16)
DTE_DOT_2XN(bf16)
#undef DTE_DOT_2XN

}  // namespace dte::avx2
