// matmul dispatch: prepares (quantizes) the activation rows once, then splits the weight rows into
// tiles across the pool. Each tile of kTileRows weight rows stays in cache while every activation row
// is multiplied against it, so for prefill (m large) weights are streamed from memory once. Inside a
// tile the widest kernel available runs: two float weight rows x up to four activation rows (dot_2xn),
// one weight row x two to four activation rows (dot_xn), then single dots for what is left.
// On the AMX path, Q8_0 and Q4_K weights with at least 16 activation rows go through AMX int8 tile
// GEMMs (arch/amx/gemm_amx.h) for every whole group of 16 rows; the rest take the path above.
#include "kernels/cpu/matmul.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "core/cpu_features.h"
#include "core/thread_pool.h"
#include "kernels/cpu/arch/amx/gemm_amx.h"
#include "kernels/cpu/quants.h"
#include "kernels/cpu/vec_dot.h"

namespace dte {

namespace {
constexpr int64_t kTileRows = 16;
// activation rows per pass over a tile: as many prepared rows as fit in 16 KiB of L1 (a multiple of
// 4 for the four-row kernels, between 4 and 16), leaving room for the weight rows being read
constexpr size_t kXBlockBytes = 16 * 1024;
// below this many multiply-adds a product is not worth splitting across threads
constexpr int64_t kMinParallelWork = 32 * 1024;
// weight rows ahead of the current one that are prefetched (DTE_PREFETCH_ROWS overrides; 0 = off)
int64_t prefetch_rows() {
  static const int64_t v = [] {
    const char* e = std::getenv("DTE_PREFETCH_ROWS");
    return e != nullptr ? std::atoll(e) : int64_t{0};
  }();
  return v;
}
}  // namespace

namespace {
void matmul_rows(const WeightView& w, const float* x, int64_t m, float* y);

// Whole groups of 16 activation rows through AMX; returns the rows done (a multiple of 16, or 0).
int64_t matmul_amx(const WeightView& w, const float* x, int64_t m, float* y) {
  const bool q8 = w.type == GgmlType::Q8_0;
  if (!(q8 || w.type == GgmlType::Q4_K) || m < amx::kRows || w.n % amx::kRows != 0) return 0;
  const int64_t k = w.k;
  const int64_t n = w.n;
  const int64_t groups = m / amx::kRows;
  const MatmulKernels& kern = matmul_kernels(w.type, Isa::Amx);
  const size_t x_row = kern.prepared_bytes(k);
  const size_t group_bytes = q8 ? amx::packed_bytes_q8_0(k) : amx::packed_bytes_q8_K(k);
  thread_local std::vector<uint8_t> prepared;
  thread_local std::vector<uint8_t> packed;
  const size_t rows = static_cast<size_t>(groups * amx::kRows);
  if (prepared.size() < x_row * rows) prepared.resize(x_row * rows);
  if (packed.size() < group_bytes * static_cast<size_t>(groups)) packed.resize(group_bytes * static_cast<size_t>(groups));
  uint8_t* xp = prepared.data();
  uint8_t* pk = packed.data();
  ThreadPool& pool = global_pool();
  // Quantize and pack each group of 16 activation rows (in parallel: one task per group).
  pool.parallel_for(groups, [&](int64_t b, int64_t e) {
    for (int64_t g = b; g < e; ++g) {
      uint8_t* dst = xp + x_row * static_cast<size_t>(g * amx::kRows);
      for (int64_t i = 0; i < amx::kRows; ++i)
        kern.prepare(x + (g * amx::kRows + i) * k, dst + x_row * static_cast<size_t>(i), k);
      if (q8) amx::pack_q8_0(dst, x_row, k, pk + group_bytes * static_cast<size_t>(g));
      else amx::pack_q8_K(dst, x_row, k, pk + group_bytes * static_cast<size_t>(g));
    }
  });
  const size_t w_row = row_bytes(w.type, k);
  const size_t scratch_bytes = q8 ? amx::scratch_bytes_q8_0(k) : amx::scratch_bytes_q4_K(k);
  pool.parallel_for(n / amx::kRows, [&](int64_t b, int64_t e) {
    // Per pool thread, reused across calls (64-byte aligned: the scratch holds vectors).
    thread_local std::vector<float> scratch;
    if (scratch.size() * sizeof(float) < scratch_bytes + 64) scratch.resize(scratch_bytes / sizeof(float) + 16);
    void* sp = scratch.data() + ((64 - reinterpret_cast<uintptr_t>(scratch.data()) % 64) % 64) / sizeof(float);
    for (int64_t t = b; t < e; ++t) {
      const int64_t j0 = t * amx::kRows;
      const uint8_t* wr = w.data + w_row * static_cast<size_t>(j0);
      if (q8) amx::gemm_q8_0(wr, w_row, k, pk, groups, y, n, j0, sp);
      else amx::gemm_q4_K(wr, w_row, k, pk, groups, y, n, j0, sp);
    }
  });
  return groups * amx::kRows;
}
}  // namespace

void matmul(const WeightView& w, const float* x, int64_t m, float* y) {
  if (m <= 0 || w.n <= 0) return;
  int64_t done = 0;
  if (active_isa() == Isa::Amx) done = matmul_amx(w, x, m, y);
  if (done < m) matmul_rows(w, x + done * w.k, m - done, y + done * w.n);
}

namespace {
void matmul_rows(const WeightView& w, const float* x, int64_t m, float* y) {
  const MatmulKernels& kern = matmul_kernels(w.type, active_isa());
  const size_t w_row = row_bytes(w.type, w.k);
  const int64_t k = w.k;
  const int64_t n = w.n;
  ThreadPool& pool = global_pool();

  const uint8_t* xp = reinterpret_cast<const uint8_t*>(x);
  size_t x_row = static_cast<size_t>(k) * sizeof(float);
  thread_local std::vector<uint8_t> prepared;
  if (kern.prepare != nullptr) {
    x_row = kern.prepared_bytes(k);
    if (prepared.size() < x_row * static_cast<size_t>(m)) prepared.resize(x_row * static_cast<size_t>(m));
    uint8_t* dst = prepared.data();
    const auto prep = [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) kern.prepare(x + i * k, dst + x_row * static_cast<size_t>(i), k);
    };
    if (m >= 4) pool.parallel_for(m, prep);
    else prep(0, m);
    xp = dst;
  }

  // With few rows, shrink tiles so every thread gets work.
  const int64_t threads = pool.size();
  const int64_t tile = std::max<int64_t>(1, std::min<int64_t>(kTileRows, (n + threads - 1) / threads));
  const int64_t n_tiles = (n + tile - 1) / tile;
  const dot_fn dot = kern.dot;
  const dot_xn_fn dot_xn = kern.dot_xn;
  const dot_2xn_fn dot_2xn = kern.dot_2xn;
  const int64_t pf_rows = prefetch_rows();
  const int64_t x_block = std::clamp<int64_t>(static_cast<int64_t>(kXBlockBytes / x_row) / 4 * 4, 4, 16);
  const auto run = [&](int64_t tb, int64_t te) {
    // Results of one (x block × tile) go to a small local buffer first and are then written out
    // row by row: writing y column by column (stride n floats) thrashes L1 when n is a power of two.
    float local[16 * kTileRows];
    for (int64_t t = tb; t < te; ++t) {
      const int64_t j0 = t * tile;
      const int64_t j1 = std::min(n, j0 + tile);
      const int64_t nj = j1 - j0;
      for (int64_t i0 = 0; i0 < m; i0 += x_block) {
        const int64_t i1 = std::min(m, i0 + x_block);
        int64_t j = j0;
        if (dot_2xn != nullptr) {
          // float weights: two weight rows x up to four activation rows per pass (8 accumulators)
          for (; j + 2 <= j1; j += 2) {
            const uint8_t* wr = w.data + w_row * static_cast<size_t>(j);
            float* col = local + (j - j0);
            float out[8];
            for (int64_t i = i0; i < i1;) {
              const int rows = static_cast<int>(std::min<int64_t>(4, i1 - i));
              dot_2xn(k, wr, w_row, xp + x_row * static_cast<size_t>(i), x_row, rows, out);
              for (int r = 0; r < rows; ++r) {
                col[(i + r - i0) * nj] = out[2 * r];
                col[(i + r - i0) * nj + 1] = out[2 * r + 1];
              }
              i += rows;
            }
          }
        }
        for (; j < j1; ++j) {
          const uint8_t* wr = w.data + w_row * static_cast<size_t>(j);
          if (i0 == 0 && pf_rows > 0 && j + pf_rows < n) {
            // Optionally pull a later row toward the cache while this one computes.
            const uint8_t* pf = wr + w_row * static_cast<size_t>(pf_rows);
            for (size_t off = 0; off < w_row; off += 64) __builtin_prefetch(pf + off, 0, 0);
          }
          float* col = local + (j - j0);
          int64_t i = i0;
          if (dot_xn != nullptr) {
            float out[4];
            while (i1 - i >= 2) {
              const int rows = static_cast<int>(std::min<int64_t>(4, i1 - i));
              dot_xn(k, wr, xp + x_row * static_cast<size_t>(i), x_row, rows, out);
              for (int r = 0; r < rows; ++r) col[(i + r - i0) * nj] = out[r];
              i += rows;
            }
          }
          for (; i < i1; ++i) col[(i - i0) * nj] = dot(k, wr, xp + x_row * static_cast<size_t>(i));
        }
        for (int64_t i = i0; i < i1; ++i) {
          const float* src = local + (i - i0) * nj;
          float* dst = y + i * n + j0;
          for (int64_t j = 0; j < nj; ++j) dst[j] = src[j];
        }
      }
    }
  };
  // Waking the pool costs a few microseconds: tiny products run on the calling thread.
  if (m * n * k < kMinParallelWork) run(0, n_tiles);
  else pool.parallel_for(n_tiles, run);
}
}  // namespace

}  // namespace dte
