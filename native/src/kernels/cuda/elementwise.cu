// Element-wise ops: SwiGLU (silu(gate) * up), bias add, row gather.
#include "kernels/cuda/common.cuh"
#include "kernels/cuda/ops.h"

namespace dte::cuda {

namespace {
constexpr int kThreads = 256;

unsigned grid_for(int64_t n) {
  const int64_t b = (n + kThreads - 1) / kThreads;
  return static_cast<unsigned>(b < 65535 * 16 ? b : 65535 * 16);
}

__global__ void silu_mul_kernel(const float* gate, const float* up, int64_t n, float* out) {
  for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const float g = gate[i];
    out[i] = g / (1.0f + expf(-g)) * up[i];
  }
}

__global__ void add_bias_kernel(float* x, const float* b, int64_t total, int64_t n) {
  for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < total;
       i += static_cast<int64_t>(gridDim.x) * blockDim.x)
    x[i] += b[i % n];
}

__global__ void gather_rows_kernel(const float* src, const int32_t* idx, int64_t width, float* dst) {
  const float* s = src + static_cast<int64_t>(idx[blockIdx.x]) * width;
  float* d = dst + blockIdx.x * width;
  for (int64_t j = threadIdx.x; j < width; j += blockDim.x) d[j] = s[j];
}

/// Warp-wide (value, index) reduction: the larger value wins, the smaller index on ties (the first maximum).
__device__ __forceinline__ void warp_argmax(float& v, int32_t& at) {
  for (int o = 16; o > 0; o >>= 1) {
    const float ov = __shfl_xor_sync(0xffffffffu, v, o);
    const int32_t oi = __shfl_xor_sync(0xffffffffu, at, o);
    if (ov > v || (ov == v && oi < at)) {
      v = ov;
      at = oi;
    }
  }
}

__global__ void argmax_kernel(const float* x, int64_t n, int32_t* out) {
  __shared__ float best_v[32];
  __shared__ int32_t best_i[32];
  const float* row = x + blockIdx.x * n;
  float v = -INFINITY;
  int32_t at = 0x7fffffff;
  for (int64_t j = threadIdx.x; j < n; j += blockDim.x) {
    const float y = row[j];
    if (y > v) {  // strictly greater: a thread keeps its first maximum
      v = y;
      at = static_cast<int32_t>(j);
    }
  }
  warp_argmax(v, at);
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  if (lane == 0) {
    best_v[warp] = v;
    best_i[warp] = at;
  }
  __syncthreads();
  if (warp == 0) {
    const int warps = blockDim.x / 32;
    v = lane < warps ? best_v[lane] : -INFINITY;
    at = lane < warps ? best_i[lane] : 0x7fffffff;
    warp_argmax(v, at);
    if (lane == 0) out[blockIdx.x] = at == 0x7fffffff ? 0 : at;
  }
}
}  // namespace

void silu_mul(const float* gate, const float* up, int64_t n, float* out, cudaStream_t s) {
  if (n <= 0) return;
  silu_mul_kernel<<<grid_for(n), kThreads, 0, s>>>(gate, up, n, out);
}

void add_bias(float* x, const float* b, int64_t m, int64_t n, cudaStream_t s) {
  if (m * n <= 0) return;
  add_bias_kernel<<<grid_for(m * n), kThreads, 0, s>>>(x, b, m * n, n);
}

void gather_rows(const float* src, const int32_t* idx, int64_t n_rows, int64_t width, float* dst, cudaStream_t s) {
  if (n_rows <= 0) return;
  gather_rows_kernel<<<static_cast<unsigned>(n_rows), kThreads, 0, s>>>(src, idx, width, dst);
}

void argmax_rows(const float* x, int64_t m, int64_t n, int32_t* out, cudaStream_t s) {
  if (m <= 0) return;
  argmax_kernel<<<static_cast<unsigned>(m), 1024, 0, s>>>(x, n, out);
}

}  // namespace dte::cuda
