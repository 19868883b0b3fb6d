// RMSNorm, and RMSNorm fused with the residual add before it: one block per row.
#include "kernels/cuda/common.cuh"
#include "kernels/cuda/ops.h"

namespace dte::cuda {

namespace {
constexpr int kThreads = 256;

/// x += r (when r is given), then y = x / sqrt(mean(x²) + eps) * w. y may alias x or r: every
/// element is read before the barrier and written after it, by the same thread.
__global__ void add_rms_norm_kernel(float* x, const float* r, const float* w, int64_t n, float eps, float* y) {
  __shared__ float red[32];
  float* xr = x + blockIdx.x * n;
  const float* rr = r != nullptr ? r + blockIdx.x * n : nullptr;
  float* yr = y + blockIdx.x * n;
  float ss = 0.0f;
  for (int64_t j = threadIdx.x; j < n; j += blockDim.x) {
    float v = xr[j];
    if (rr != nullptr) {
      v += rr[j];
      xr[j] = v;
    }
    ss += v * v;
  }
  ss = block_sum(ss, red);
  const float scale = rsqrtf(ss / static_cast<float>(n) + eps);
  for (int64_t j = threadIdx.x; j < n; j += blockDim.x) {
    const float v = xr[j] * scale;
    yr[j] = w != nullptr ? v * w[j] : v;
  }
}
}  // namespace

void rms_norm(const float* x, const float* w, int64_t m, int64_t n, float eps, float* y, cudaStream_t s) {
  if (m <= 0) return;
  add_rms_norm_kernel<<<static_cast<unsigned>(m), kThreads, 0, s>>>(const_cast<float*>(x), nullptr, w, n, eps, y);
}

void add_rms_norm(float* x, const float* r, const float* w, int64_t m, int64_t n, float eps, float* y,
                  cudaStream_t s) {
  if (m <= 0) return;
  add_rms_norm_kernel<<<static_cast<unsigned>(m), kThreads, 0, s>>>(x, r, w, n, eps, y);
}

}  // namespace dte::cuda
