// y [m][n] = x [m][k] · Wᵀ with W in GGUF layout read in place (F32, F16, BF16, Q8_0, Q4_0, Q4_K,
// Q6_K). Up to 8 activation columns: a mat-vec, one warp per weight row, every column sharing each
// weight element read. More: a tiled GEMM (64×64 tiles, weights dequantized into shared memory as the
// tile is loaded). Accumulation in f32.
#include "kernels/cuda/common.cuh"
#include "kernels/cuda/ops.h"

namespace dte::cuda {

namespace {
constexpr int kMatvecWarps = 4;

template <int M>
__global__ void matvec_kernel(GgmlType type, const uint8_t* w, int64_t k, int64_t n, const float* x, float* y) {
  const int lane = threadIdx.x % 32;
  const int64_t j = static_cast<int64_t>(blockIdx.x) * kMatvecWarps + threadIdx.x / 32;
  if (j >= n) return;
  const uint8_t* row = w + row_stride(type, k) * j;
  float acc[M];
#pragma unroll
  for (int c = 0; c < M; ++c) acc[c] = 0.0f;
  for (int64_t e = lane; e < k; e += 32) {
    const float wv = weight_elem(type, row, e);
#pragma unroll
    for (int c = 0; c < M; ++c) acc[c] += wv * x[c * k + e];
  }
#pragma unroll
  for (int c = 0; c < M; ++c) {
    const float s = warp_sum(acc[c]);
    if (lane == 0) y[c * n + j] = s;
  }
}

constexpr int kBM = 64, kBN = 64, kBK = 32, kPad = 4;

__global__ void gemm_kernel(GgmlType type, const uint8_t* w, int64_t k, int64_t n, const float* x, int64_t m,
                            float* y) {
  __shared__ float xs[kBK][kBM + kPad];
  __shared__ float ws[kBK][kBN + kPad];
  const int tid = threadIdx.x;
  const int tx = tid % 16, ty = tid / 16;
  const int64_t i0 = static_cast<int64_t>(blockIdx.y) * kBM;
  const int64_t j0 = static_cast<int64_t>(blockIdx.x) * kBN;
  const int64_t stride = row_stride(type, k);
  float acc[4][4] = {};
  for (int64_t k0 = 0; k0 < k; k0 += kBK) {
    for (int r = 0; r < (kBM * kBK) / 256; ++r) {
      const int idx = tid + 256 * r;
      const int row = idx / kBK, kk = idx % kBK;
      const int64_t gi = i0 + row, gk = k0 + kk;
      xs[kk][row] = gi < m && gk < k ? x[gi * k + gk] : 0.0f;
      const int64_t gj = j0 + row;
      ws[kk][row] = gj < n && gk < k ? weight_elem(type, w + stride * gj, gk) : 0.0f;
    }
    __syncthreads();
#pragma unroll 8
    for (int kk = 0; kk < kBK; ++kk) {
      float a[4], b[4];
#pragma unroll
      for (int r = 0; r < 4; ++r) a[r] = xs[kk][ty * 4 + r];
#pragma unroll
      for (int c = 0; c < 4; ++c) b[c] = ws[kk][tx * 4 + c];
#pragma unroll
      for (int r = 0; r < 4; ++r)
#pragma unroll
        for (int c = 0; c < 4; ++c) acc[r][c] += a[r] * b[c];
    }
    __syncthreads();
  }
#pragma unroll
  for (int r = 0; r < 4; ++r) {
    const int64_t gi = i0 + ty * 4 + r;
    if (gi >= m) continue;
#pragma unroll
    for (int c = 0; c < 4; ++c) {
      const int64_t gj = j0 + tx * 4 + c;
      if (gj < n) y[gi * n + gj] = acc[r][c];
    }
  }
}

template <int M>
void launch_matvec(const WeightView& w, const float* x, float* y, cudaStream_t s) {
  const unsigned blocks = static_cast<unsigned>((w.n + kMatvecWarps - 1) / kMatvecWarps);
  matvec_kernel<M><<<blocks, kMatvecWarps * 32, 0, s>>>(w.type, w.data, w.k, w.n, x, y);
}
}  // namespace

void matmul(const WeightView& w, const float* x, int64_t m, float* y, cudaStream_t s) {
  if (m <= 0 || w.n <= 0) return;
  switch (m) {
    case 1: launch_matvec<1>(w, x, y, s); return;
    case 2: launch_matvec<2>(w, x, y, s); return;
    case 3: launch_matvec<3>(w, x, y, s); return;
    case 4: launch_matvec<4>(w, x, y, s); return;
    case 5: launch_matvec<5>(w, x, y, s); return;
    case 6: launch_matvec<6>(w, x, y, s); return;
    case 7: launch_matvec<7>(w, x, y, s); return;
    case 8: launch_matvec<8>(w, x, y, s); return;
    default: break;
  }
  const dim3 grid(static_cast<unsigned>((w.n + kBN - 1) / kBN), static_cast<unsigned>((m + kBM - 1) / kBM));
  gemm_kernel<<<grid, 256, 0, s>>>(w.type, w.data, w.k, w.n, x, m, y);
}

}  // namespace dte::cuda
