// Embedding gather with dequantization: out[i] = row ids[i] of the table, read in place.
#include "kernels/cuda/common.cuh"
#include "kernels/cuda/ops.h"

namespace dte::cuda {

namespace {
__global__ void get_rows_kernel(GgmlType type, const uint8_t* data, int64_t k, const int32_t* ids, float* out) {
  const int64_t i = blockIdx.x;
  const uint8_t* row = data + row_stride(type, k) * static_cast<int64_t>(ids[i]);
  for (int64_t e = threadIdx.x; e < k; e += blockDim.x) out[i * k + e] = weight_elem(type, row, e);
}
}  // namespace

void get_rows(const WeightView& t, const int32_t* ids, int64_t m, float* out, cudaStream_t s) {
  if (m <= 0) return;
  get_rows_kernel<<<static_cast<unsigned>(m), 256, 0, s>>>(t.type, t.data, t.k, ids, out);
}

}  // namespace dte::cuda
