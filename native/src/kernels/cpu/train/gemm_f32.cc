// Blocking, packing and threading of gemm_f32 (see gemm_f32.h); the micro-kernel is picked by ISA.
// Panels are zero-padded to whole MR x NR tiles, so the micro-kernel never branches on edges: edge
// tiles are computed into a local tile and only their valid part is written to C.
#include "kernels/cpu/train/gemm_f32.h"

#include <algorithm>
#include <vector>

#include "core/cpu_features.h"
#include "core/thread_pool.h"
#include "kernels/cpu/arch/amx/gemm_f32_avx512.h"
#include "kernels/cpu/arch/avx2/gemm_f32_avx2.h"

namespace dte {

namespace {

constexpr int64_t kKc = 256;  // depth of a packed block (kc x 32 B panel = 32 KiB: about L1)
constexpr int64_t kMc = 72;   // rows of a packed A block (72 x 256 floats = 72 KiB: stays in L2)
constexpr int64_t kNc = 1024; // columns of B packed at once (1024 x 256 floats = 1 MiB: L2/L3)
constexpr int64_t kMaxMr = 12, kMaxNr = 32;

struct MicroKernel {
  int64_t mr;  // rows of a tile (kMc is a multiple of every mr)
  int64_t nr;  // columns of a tile
  gemm_micro_fn fn;
};

// The portable micro-kernel's tile (the AVX2 one has the same shape).
constexpr int64_t kGemmMr = 6;
constexpr int64_t kGemmNr = 16;

void micro_generic(int64_t kc, const float* ap, const float* bp, float* c, int64_t ldc, bool accumulate) {
  float acc[kGemmMr][kGemmNr] = {};
  for (int64_t p = 0; p < kc; ++p) {
    const float* a = ap + p * kGemmMr;
    const float* b = bp + p * kGemmNr;
    for (int64_t r = 0; r < kGemmMr; ++r)
      for (int64_t j = 0; j < kGemmNr; ++j) acc[r][j] += a[r] * b[j];
  }
  for (int64_t r = 0; r < kGemmMr; ++r)
    for (int64_t j = 0; j < kGemmNr; ++j) c[r * ldc + j] = accumulate ? c[r * ldc + j] + acc[r][j] : acc[r][j];
}

// Packs op(B)[p0, p0+kc) x [j0, j0+nc) into panels of nr columns: panel q holds kc rows of nr. Loops run
// along B's rows in memory (a transposed B is read row by row and written with a stride of nr).
void pack_b(const float* b, int64_t ldb, bool t, int64_t p0, int64_t kc, int64_t j0, int64_t nc, int64_t q,
            int64_t nr, float* dst) {
  const int64_t jb = j0 + q * nr;
  const int64_t w = std::min(nr, j0 + nc - jb);
  float* d = dst + q * kc * nr;
  if (t) {
    for (int64_t j = 0; j < w; ++j) {
      const float* src = b + (jb + j) * ldb + p0;
      for (int64_t p = 0; p < kc; ++p) d[p * nr + j] = src[p];
    }
  } else {
    for (int64_t p = 0; p < kc; ++p) std::copy_n(b + (p0 + p) * ldb + jb, w, d + p * nr);
  }
  if (w < nr)
    for (int64_t p = 0; p < kc; ++p) std::fill(d + p * nr + w, d + (p + 1) * nr, 0.0f);
}

// Packs op(A)[i0, i0+mc) x [p0, p0+kc) into panels of mr rows: panel r holds kc columns of mr (loops
// along A's rows in memory, as in pack_b).
void pack_a(const float* a, int64_t lda, bool t, int64_t i0, int64_t mc, int64_t p0, int64_t kc, int64_t mr,
            float* dst) {
  for (int64_t r0 = 0; r0 < mc; r0 += mr) {
    const int64_t h = std::min(mr, mc - r0);
    float* d = dst + r0 * kc;
    if (t) {
      for (int64_t p = 0; p < kc; ++p) std::copy_n(a + (p0 + p) * lda + i0 + r0, h, d + p * mr);
    } else {
      for (int64_t r = 0; r < h; ++r) {
        const float* src = a + (i0 + r0 + r) * lda + p0;
        for (int64_t p = 0; p < kc; ++p) d[p * mr + r] = src[p];
      }
    }
    if (h < mr)
      for (int64_t p = 0; p < kc; ++p) std::fill(d + p * mr + h, d + (p + 1) * mr, 0.0f);
  }
}

}  // namespace

void gemm_f32(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
              const float* b, int64_t ldb, bool accumulate, float* c, int64_t ldc) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate)
      for (int64_t i = 0; i < m; ++i) std::fill_n(c + i * ldc, n, 0.0f);
    return;
  }
  const Isa isa = active_isa();
  const MicroKernel kern = isa == Isa::Amx        ? MicroKernel{12, 32, &amx::gemm_micro_12x32}
                           : uses_avx2(isa) ? MicroKernel{kGemmMr, kGemmNr, &avx2::gemm_micro_6x16}
                                            : MicroKernel{kGemmMr, kGemmNr, &micro_generic};
  const int64_t mr = kern.mr, nr = kern.nr;
  ThreadPool& pool = global_pool();
  std::vector<float> bpack(static_cast<size_t>(kKc * ((std::min(n, kNc) + nr - 1) / nr * nr)));
  const int64_t n_row_blocks = (m + kMc - 1) / kMc;
  for (int64_t j0 = 0; j0 < n; j0 += kNc) {
    const int64_t nc = std::min(kNc, n - j0);
    const int64_t n_panels = (nc + nr - 1) / nr;
    for (int64_t p0 = 0; p0 < k; p0 += kKc) {
      const int64_t kc = std::min(kKc, k - p0);
      const bool acc = accumulate || p0 > 0;
      pool.parallel_for(n_panels, [&](int64_t qb, int64_t qe) {
        for (int64_t q = qb; q < qe; ++q) pack_b(b, ldb, trans_b, p0, kc, j0, nc, q, nr, bpack.data());
      });
      pool.parallel_for(n_row_blocks, [&](int64_t rb, int64_t re) {
        thread_local std::vector<float> apack;
        if (apack.size() < static_cast<size_t>(kMc * kKc)) apack.resize(static_cast<size_t>(kMc * kKc));
        float tile[kMaxMr * kMaxNr];
        for (int64_t blk = rb; blk < re; ++blk) {
          const int64_t i0 = blk * kMc;
          const int64_t mc = std::min(kMc, m - i0);
          pack_a(a, lda, trans_a, i0, mc, p0, kc, mr, apack.data());
          for (int64_t q = 0; q < n_panels; ++q) {
            const int64_t jb = j0 + q * nr;
            const int64_t w = std::min(nr, n - jb);
            const float* bp = bpack.data() + q * kc * nr;
            for (int64_t r0 = 0; r0 < mc; r0 += mr) {
              const int64_t h = std::min(mr, mc - r0);
              float* cp = c + (i0 + r0) * ldc + jb;
              const float* ap = apack.data() + r0 * kc;
              if (h == mr && w == nr) {
                kern.fn(kc, ap, bp, cp, ldc, acc);
                continue;
              }
              kern.fn(kc, ap, bp, tile, nr, false);
              for (int64_t r = 0; r < h; ++r)
                for (int64_t j = 0; j < w; ++j)
                  cp[r * ldc + j] = acc ? cp[r * ldc + j] + tile[r * nr + j] : tile[r * nr + j];
            }
          }
        }
      });
    }
  }
}

}  // namespace dte
