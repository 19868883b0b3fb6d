// AVX-512F micro-kernel of gemm_f32, on the AMX path (call only when isa_available(Isa::Amx), which
// includes AVX-512F/BW/VL; this unit is built with the AMX path's flags).
//   gemm_micro_12x32(kc, ap, bp, c, ldc, accumulate): c[12][ldc] (=|+=) Σ_p ap[p][0..12)ᵀ · bp[p][0..32)
//   ap: kc x 12 packed A panel; bp: kc x 32 packed B panel; 24 sixteen-float accumulators.
#pragma once
#include <cstdint>

namespace dte::amx {
void gemm_micro_12x32(int64_t kc, const float* ap, const float* bp, float* c, int64_t ldc, bool accumulate);
}  // namespace dte::amx
