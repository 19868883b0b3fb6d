// AVX2/FMA/F16C dot products: one weight row (ggml layout) · one prepared activation row.
//   f32/f16/bf16 weights · f32 x: widen to f32 and FMA (4 x 8 lanes in flight)
//   q8_0 weights · q8_0s x:       |w| (u8) x sign(x, w) (s8) with maddubs, madd to i32, scale per block
//   q4_0 weights · q8_0s x:       raw nibbles (u8) x x (s8) with maddubs; the -8 offset via the block sums
//   q4_K weights · q8_K x:        nibbles (u8) x q8 with maddubs, madd by the 6-bit scale; mins via bsums
//   q6_K weights · q8_K x:        6-bit values 0..63 (u8) x q8, madd by the group scale; -32 offset via bsums
// Everything here has internal linkage or is declared in vec_dot_avx2.h; no STL (see core/fp16.h).
#include "kernels/cpu/arch/avx2/vec_dot_avx2.h"

#include <immintrin.h>

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

inline float h2f(uint16_t h) { return _cvtsh_ss(h); }

// signed int8 x signed int8, 32 pairs -> 8 x int32 partial sums
inline __m256i dot_i8(__m256i a, __m256i b) {
  const __m256i ax = _mm256_sign_epi8(a, a);
  const __m256i sb = _mm256_sign_epi8(b, a);
  return _mm256_madd_epi16(_mm256_maddubs_epi16(ax, sb), _mm256_set1_epi16(1));
}

inline __m256 load_bf16x8(const uint16_t* p) {
  const __m256i w = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  return _mm256_castsi256_ps(_mm256_slli_epi32(w, 16));
}

inline __m256 load_f16x8(const uint16_t* p) {
  return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

// 32 floats -> 32 int8 (x * id rounded to nearest even), in element order
inline __m256i quantize32(const float* x, __m256 id) {
  const __m256i i0 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(x), id), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
  const __m256i i1 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(x + 8), id), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
  const __m256i i2 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(x + 16), id), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
  const __m256i i3 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(x + 24), id), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
  const __m256i p = _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3));
  return _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

inline float abs_max(const float* x, int64_t n) {
  const __m256 sign = _mm256_set1_ps(-0.0f);
  __m256 m = _mm256_setzero_ps();
  for (int64_t i = 0; i < n; i += 8) m = _mm256_max_ps(m, _mm256_andnot_ps(sign, _mm256_loadu_ps(x + i)));
  __m128 s = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
  s = _mm_max_ps(s, _mm_movehl_ps(s, s));
  s = _mm_max_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

}  // namespace

float dot_f32(int64_t k, const uint8_t* w, const void* x) {
  const float* a = reinterpret_cast<const float*>(w);
  const float* b = static_cast<const float*>(x);
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 32 <= k; i += 32) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
    s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
    s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
  }
  for (; i + 8 <= k; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
  float r = hsum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
  for (; i < k; ++i) r += a[i] * b[i];
  return r;
}

float dot_f16(int64_t k, const uint8_t* w, const void* x) {
  const uint16_t* a = reinterpret_cast<const uint16_t*>(w);
  const float* b = static_cast<const float*>(x);
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 32 <= k; i += 32) {
    s0 = _mm256_fmadd_ps(load_f16x8(a + i), _mm256_loadu_ps(b + i), s0);
    s1 = _mm256_fmadd_ps(load_f16x8(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
    s2 = _mm256_fmadd_ps(load_f16x8(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
    s3 = _mm256_fmadd_ps(load_f16x8(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
  }
  for (; i + 8 <= k; i += 8) s0 = _mm256_fmadd_ps(load_f16x8(a + i), _mm256_loadu_ps(b + i), s0);
  float r = hsum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
  for (; i < k; ++i) r += h2f(a[i]) * b[i];
  return r;
}

float dot_bf16(int64_t k, const uint8_t* w, const void* x) {
  const uint16_t* a = reinterpret_cast<const uint16_t*>(w);
  const float* b = static_cast<const float*>(x);
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 32 <= k; i += 32) {
    s0 = _mm256_fmadd_ps(load_bf16x8(a + i), _mm256_loadu_ps(b + i), s0);
    s1 = _mm256_fmadd_ps(load_bf16x8(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
    s2 = _mm256_fmadd_ps(load_bf16x8(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
    s3 = _mm256_fmadd_ps(load_bf16x8(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
  }
  for (; i + 8 <= k; i += 8) s0 = _mm256_fmadd_ps(load_bf16x8(a + i), _mm256_loadu_ps(b + i), s0);
  float r = hsum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
  for (; i < k; ++i) r += _mm_cvtss_f32(_mm_castsi128_ps(_mm_cvtsi32_si128(static_cast<int>(a[i]) << 16))) * b[i];
  return r;
}

float dot_q8_0(int64_t k, const uint8_t* w, const void* x) {
  const block_q8_0* a = reinterpret_cast<const block_q8_0*>(w);
  const block_q8_0s* b = static_cast<const block_q8_0s*>(x);  // f32 scales: no conversion per block
  const int64_t nb = k / QK8_0;
  __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 2 <= nb; i += 2) {
    const __m256i p0 = dot_i8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a[i].qs)),
                              _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b[i].qs)));
    const __m256i p1 = dot_i8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a[i + 1].qs)),
                              _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b[i + 1].qs)));
    acc0 = _mm256_fmadd_ps(_mm256_set1_ps(h2f(a[i].d) * b[i].d), _mm256_cvtepi32_ps(p0), acc0);
    acc1 = _mm256_fmadd_ps(_mm256_set1_ps(h2f(a[i + 1].d) * b[i + 1].d), _mm256_cvtepi32_ps(p1), acc1);
  }
  for (; i < nb; ++i) {
    const __m256i p = dot_i8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a[i].qs)),
                             _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b[i].qs)));
    acc0 = _mm256_fmadd_ps(_mm256_set1_ps(h2f(a[i].d) * b[i].d), _mm256_cvtepi32_ps(p), acc0);
  }
  return hsum(_mm256_add_ps(acc0, acc1));
}

float dot_q4_0(int64_t k, const uint8_t* w, const void* x) {
  // Σ dw·(q−8)·dx·xq = dw·(dx·Σ q·xq) − 8·dw·s with q the raw nibbles (0..15, unsigned for maddubs)
  const block_q4_0* a = reinterpret_cast<const block_q4_0*>(w);
  const block_q8_0s* b = static_cast<const block_q8_0s*>(x);
  const int64_t nb = k / QK4_0;
  const __m256i low4 = _mm256_set1_epi8(0x0F);
  const __m256i ones = _mm256_set1_epi16(1);
  const auto block = [&](int64_t i) {
    const __m128i raw = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a[i].qs));
    const __m256i q = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(raw, 4), raw), low4);
    const __m256i xq = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b[i].qs));
    return _mm256_cvtepi32_ps(_mm256_madd_epi16(_mm256_maddubs_epi16(q, xq), ones));
  };
  __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
  float corr0 = 0.0f, corr1 = 0.0f;
  int64_t i = 0;
  for (; i + 2 <= nb; i += 2) {
    const float d0 = h2f(a[i].d);
    const float d1 = h2f(a[i + 1].d);
    acc0 = _mm256_fmadd_ps(_mm256_set1_ps(d0 * b[i].d), block(i), acc0);
    acc1 = _mm256_fmadd_ps(_mm256_set1_ps(d1 * b[i + 1].d), block(i + 1), acc1);
    corr0 += d0 * b[i].s;
    corr1 += d1 * b[i + 1].s;
  }
  for (; i < nb; ++i) {
    const float d0 = h2f(a[i].d);
    acc0 = _mm256_fmadd_ps(_mm256_set1_ps(d0 * b[i].d), block(i), acc0);
    corr0 += d0 * b[i].s;
  }
  return hsum(_mm256_add_ps(acc0, acc1)) - 8.0f * (corr0 + corr1);
}

float dot_q4_K(int64_t k, const uint8_t* w, const void* x) {
  const block_q4_K* a = reinterpret_cast<const block_q4_K*>(w);
  const block_q8_K* b = static_cast<const block_q8_K*>(x);
  const int64_t nb = k / QK_K;
  const __m256i low4 = _mm256_set1_epi8(0x0F);
  __m256 acc = _mm256_setzero_ps();
  __m256 acc_m = _mm256_setzero_ps();
  for (int64_t i = 0; i < nb; ++i) {
    alignas(16) uint8_t sm[16];
    q4k_unpack_scales(a[i].scales, sm);
    const float dx = b[i].d;
    // mins: sum_j min[j] * (bsums[2j] + bsums[2j+1]) as 8 lanes (each min paired with its two bsums)
    const __m128i m8 = _mm_cvtepu8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(sm + 8)));
    const __m256i mins = _mm256_set_m128i(_mm_unpackhi_epi16(m8, m8), _mm_unpacklo_epi16(m8, m8));
    const __m256i msum = _mm256_madd_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b[i].bsums)), mins);
    acc_m = _mm256_fmadd_ps(_mm256_set1_ps(dx * h2f(a[i].dmin)), _mm256_cvtepi32_ps(msum), acc_m);
    const uint8_t* q4 = a[i].qs;
    const int8_t* q8 = b[i].qs;
    __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();
    for (int j = 0; j < 4; ++j) {
      const __m256i bits = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q4 + 32 * j));
      const __m256i lo = _mm256_and_si256(bits, low4);
      const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(bits, 4), low4);
      const __m256i plo = _mm256_maddubs_epi16(lo, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q8 + 64 * j)));
      const __m256i phi = _mm256_maddubs_epi16(hi, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q8 + 64 * j + 32)));
      s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(plo, _mm256_set1_epi16(sm[2 * j])));
      s1 = _mm256_add_epi32(s1, _mm256_madd_epi16(phi, _mm256_set1_epi16(sm[2 * j + 1])));
    }
    acc = _mm256_fmadd_ps(_mm256_set1_ps(dx * h2f(a[i].d)), _mm256_cvtepi32_ps(_mm256_add_epi32(s0, s1)), acc);
  }
  return hsum(acc) - hsum(acc_m);
}

float dot_q6_K(int64_t k, const uint8_t* w, const void* x) {
  const block_q6_K* a = reinterpret_cast<const block_q6_K*>(w);
  const block_q8_K* b = static_cast<const block_q8_K*>(x);
  const int64_t nb = k / QK_K;
  const __m256i m4 = _mm256_set1_epi8(0x0F);
  const __m256i m30 = _mm256_set1_epi8(0x30);
  __m256 acc = _mm256_setzero_ps();
  for (int64_t i = 0; i < nb; ++i) {
    const int8_t* sc = a[i].scales;
    // the -32 offset: 32 · Σ_g sc[g] · bsums[g], kept as 8 i32 lanes and folded into sumi
    const __m256i sc16 = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(sc)));
    const __m256i offset = _mm256_madd_epi16(sc16, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b[i].bsums)));
    __m256i sumi = _mm256_sub_epi32(_mm256_setzero_si256(), _mm256_slli_epi32(offset, 5));
    for (int h = 0; h < 2; ++h) {
      const uint8_t* ql = a[i].ql + 64 * h;
      const __m256i l0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(ql));
      const __m256i l1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(ql + 32));
      const __m256i hb = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a[i].qh + 32 * h));
      __m256i q[4];
      q[0] = _mm256_or_si256(_mm256_and_si256(l0, m4), _mm256_and_si256(_mm256_slli_epi16(hb, 4), m30));
      q[1] = _mm256_or_si256(_mm256_and_si256(l1, m4), _mm256_and_si256(_mm256_slli_epi16(hb, 2), m30));
      q[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), m4), _mm256_and_si256(hb, m30));
      q[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), m4), _mm256_and_si256(_mm256_srli_epi16(hb, 2), m30));
      const int8_t* q8 = b[i].qs + 128 * h;
      const int8_t* s = sc + 8 * h;
      for (int j = 0; j < 4; ++j) {
        const __m256i p = _mm256_maddubs_epi16(q[j], _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q8 + 32 * j)));
        const __m256i scv = _mm256_set_m128i(_mm_set1_epi16(s[2 * j + 1]), _mm_set1_epi16(s[2 * j]));
        sumi = _mm256_add_epi32(sumi, _mm256_madd_epi16(p, scv));
      }
    }
    acc = _mm256_fmadd_ps(_mm256_set1_ps(b[i].d * h2f(a[i].d)), _mm256_cvtepi32_ps(sumi), acc);
  }
  return hsum(acc);
}

void quantize_row_q8_0s(const float* x, void* out, int64_t k) {
  block_q8_0s* y = static_cast<block_q8_0s*>(out);
  const __m256i ones8 = _mm256_set1_epi8(1);
  for (int64_t b = 0; b < k / QK8_0; ++b) {
    const float* xb = x + b * QK8_0;
    const float amax = abs_max(xb, QK8_0);
    const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
    const __m256i q = quantize32(xb, _mm256_set1_ps(id));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(y[b].qs), q);
    const int sum = hsum_i32(_mm256_madd_epi16(_mm256_maddubs_epi16(ones8, q), _mm256_set1_epi16(1)));
    y[b].d = _cvtsh_ss(_cvtss_sh(amax / 127.0f, _MM_FROUND_TO_NEAREST_INT));
    y[b].s = y[b].d * static_cast<float>(sum);
  }
}

void quantize_row_q8_K(const float* x, void* out, int64_t k) {
  block_q8_K* y = static_cast<block_q8_K*>(out);
  for (int64_t b = 0; b < k / QK_K; ++b) {
    const float* xb = x + b * QK_K;
    const float amax = abs_max(xb, QK_K);
    const float d = amax / 127.0f;
    const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
    y[b].d = d;
    const __m256 vid = _mm256_set1_ps(id);
    for (int j = 0; j < QK_K / 32; ++j) {
      const __m256i q = quantize32(xb + 32 * j, vid);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(y[b].qs + 32 * j), q);
      // sums of each 16-element group: widen to i16, pairwise-add to i32, reduce per 128-bit half
      const __m256i w0 = _mm256_cvtepi8_epi16(_mm256_castsi256_si128(q));
      const __m256i w1 = _mm256_cvtepi8_epi16(_mm256_extracti128_si256(q, 1));
      y[b].bsums[2 * j] = static_cast<int16_t>(hsum_i32(_mm256_madd_epi16(w0, _mm256_set1_epi16(1))));
      y[b].bsums[2 * j + 1] = static_cast<int16_t>(hsum_i32(_mm256_madd_epi16(w1, _mm256_set1_epi16(1))));
    }
  }
}

}  // namespace dte::avx2
