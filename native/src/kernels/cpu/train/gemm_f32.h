// Dense f32 GEMM for training (row-major): C = C·[accumulate] + op(A)·op(B)
//   op(A) [m][k]: A is [m][lda] (trans_a false) or [k][lda] read transposed (trans_a true)
//   op(B) [k][n]: B is [k][ldb] (trans_b false) or [n][ldb] read transposed (trans_b true)
//   C [m][ldc]: overwritten (accumulate false) or added to (accumulate true)
// GotoBLAS blocking: op(B) is packed in kKc x NR column panels, op(A) in kMc x kKc blocks of MR-row
// panels, and a register-blocked MR x NR micro-kernel computes each tile: 12 x 32 with AVX-512 (the AMX
// path), 6 x 16 with AVX2+FMA or in portable C++.
// Row blocks of C are split across the global pool; every transpose is absorbed by the packing.
// A linear layer y = x·Wᵀ is gemm_f32(false, true, …); its backward dx = dy·W is (false, false, …) and
// dW += dyᵀ·x is (true, false, …, accumulate).
#pragma once
#include <cstdint>

namespace dte {

/// c[MR][ldc] (=|+=) Σ_p ap[p*MR + r] · bp[p*NR + j] over p < kc (ap, bp: packed panels).
using gemm_micro_fn = void (*)(int64_t kc, const float* ap, const float* bp, float* c, int64_t ldc, bool accumulate);

void gemm_f32(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
              const float* b, int64_t ldb, bool accumulate, float* c, int64_t ldc);

}  // namespace dte
