// 12 x 32 outer-product micro-kernel: per step of p, two B vectors and twelve broadcasts of A feed 24 FMAs
// (24 accumulators + 2 B registers + 1 broadcast of the 32 zmm registers).
#include "kernels/cpu/arch/amx/gemm_f32_avx512.h"

#include <immintrin.h>

namespace dte::amx {

void gemm_micro_12x32(int64_t kc, const float* ap, const float* bp, float* c, int64_t ldc, bool accumulate) {
  __m512 acc[12][2];
  for (int r = 0; r < 12; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  for (int64_t p = 0; p < kc; ++p) {
    const __m512 b0 = _mm512_loadu_ps(bp);
    const __m512 b1 = _mm512_loadu_ps(bp + 16);
#pragma GCC unroll 12
    for (int r = 0; r < 12; ++r) {
      const __m512 a = _mm512_set1_ps(ap[r]);
      acc[r][0] = _mm512_fmadd_ps(a, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(a, b1, acc[r][1]);
    }
    ap += 12;
    bp += 32;
  }
  for (int r = 0; r < 12; ++r) {
    float* cr = c + r * ldc;
    __m512 lo = acc[r][0], hi = acc[r][1];
    if (accumulate) {
      lo = _mm512_add_ps(lo, _mm512_loadu_ps(cr));
      hi = _mm512_add_ps(hi, _mm512_loadu_ps(cr + 16));
    }
    _mm512_storeu_ps(cr, lo);
    _mm512_storeu_ps(cr + 16, hi);
  }
}

}  // namespace dte::amx
