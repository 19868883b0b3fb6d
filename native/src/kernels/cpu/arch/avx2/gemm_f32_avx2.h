// AVX2/FMA micro-kernel of gemm_f32 (call only when isa_available(Isa::Avx2)).
//   gemm_micro_6x16(kc, ap, bp, c, ldc, accumulate): c[6][ldc] (=|+=) Σ_p ap[p][0..6)ᵀ · bp[p][0..16)
//   ap: kc x 6 packed A panel; bp: kc x 16 packed B panel; twelve 8-float accumulators.
#pragma once
#include <cstdint>

namespace dte::avx2 {
void gemm_micro_6x16(int64_t kc, const float* ap, const float* bp, float* c, int64_t ldc, bool accumulate);
}  // namespace dte::avx2
