// Shared by the CUDA kernels: element access to GGUF weight rows in place (no dequantized copy), f16
// conversion, warp and block reductions. The element accessors are __host__ __device__ so the
// standalone parity harness can check them against the CPU dequantizer on a machine without a GPU.
#pragma once

#include <cstdint>

#include "core/ggml_types.h"

#if defined(__CUDACC__)
#include <cuda_fp16.h>
#define DTE_HD __host__ __device__ __forceinline__
#define DTE_D __device__ __forceinline__
#else
#define DTE_HD inline
#endif

namespace dte::cuda {

DTE_HD uint16_t load_u16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }

/// IEEE half bits → f32, exact (subnormals, infinities and NaN included).
DTE_HD float half_to_float(uint16_t h) {
#if defined(__CUDA_ARCH__)
  return __half2float(__ushort_as_half(h));
#else
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t man = h & 0x3ffu;
  uint32_t bits;
  if (exp == 0) {
    if (man == 0) {
      bits = sign;
    } else {
      exp = 127 - 15 + 1;
      while ((man & 0x400u) == 0) {
        man <<= 1;
        --exp;
      }
      bits = sign | (exp << 23) | ((man & 0x3ffu) << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (man << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (man << 13);
  }
  float f;
  __builtin_memcpy(&f, &bits, 4);
  return f;
#endif
}

DTE_HD float bf16_to_float(uint16_t h) {
  const uint32_t bits = static_cast<uint32_t>(h) << 16;
  float f;
#if defined(__CUDA_ARCH__)
  f = __uint_as_float(bits);
#else
  __builtin_memcpy(&f, &bits, 4);
#endif
  return f;
}

/// Element e of one weight row of type t (the row's first byte at `row`), as the CPU dequantizer
/// gives it. Block layouts as in kernels/cpu/quants.h.
DTE_HD float weight_elem(GgmlType t, const uint8_t* row, int64_t e) {
  switch (t) {
    case GgmlType::F32: {
      float f;
      const uint8_t* p = row + 4 * e;
#if defined(__CUDA_ARCH__)
      f = *reinterpret_cast<const float*>(p);
#else
      __builtin_memcpy(&f, p, 4);
#endif
      return f;
    }
    case GgmlType::F16: return half_to_float(load_u16(row + 2 * e));
    case GgmlType::BF16: return bf16_to_float(load_u16(row + 2 * e));
    case GgmlType::Q8_0: {
      const uint8_t* b = row + 34 * (e / 32);
      return half_to_float(load_u16(b)) * static_cast<float>(static_cast<int8_t>(b[2 + e % 32]));
    }
    case GgmlType::Q4_0: {
      const uint8_t* b = row + 18 * (e / 32);
      const int i = static_cast<int>(e % 32);
      const uint8_t q = b[2 + (i % 16)];
      const int nib = i < 16 ? (q & 0xF) : (q >> 4);
      return half_to_float(load_u16(b)) * static_cast<float>(nib - 8);
    }
    case GgmlType::Q4_K: {
      const uint8_t* b = row + 144 * (e / 256);
      const int r = static_cast<int>(e % 256);
      const int g = r / 64, hi = (r % 64) / 32, l = r % 32;
      const int j = 2 * g + hi;
      const uint8_t* sc = b + 4;
      int s, m;
      if (j < 4) {
        s = sc[j] & 63;
        m = sc[j + 4] & 63;
      } else {
        s = (sc[j + 4] & 0xF) | ((sc[j - 4] >> 6) << 4);
        m = (sc[j + 4] >> 4) | ((sc[j] >> 6) << 4);
      }
      const uint8_t q = b[16 + 32 * g + l];
      const int nib = hi ? (q >> 4) : (q & 0xF);
      return half_to_float(load_u16(b)) * static_cast<float>(s) * static_cast<float>(nib) -
             half_to_float(load_u16(b + 2)) * static_cast<float>(m);
    }
    case GgmlType::Q6_K: {
      const uint8_t* b = row + 210 * (e / 256);
      const int r = static_cast<int>(e % 256);
      const int n = r / 128, qq = (r % 128) / 32, l = r % 32;
      const uint8_t* ql = b + 64 * n;
      const uint8_t* qh = b + 128 + 32 * n;
      const int8_t* sc = reinterpret_cast<const int8_t*>(b + 192) + 8 * n;
      const int is = l / 16;
      const int lo = (qq & 1) ? ql[l + 32] : ql[l];
      const int nib = (qq & 2) ? (lo >> 4) : (lo & 0xF);
      const int q = (nib | (((qh[l] >> (2 * qq)) & 3) << 4)) - 32;
      return half_to_float(load_u16(b + 208)) * static_cast<float>(sc[is + 2 * qq]) * static_cast<float>(q);
    }
  }
  return 0.0f;
}

/// Bytes of one row of k elements (as core/ggml_types' row_bytes, usable on the device).
DTE_HD int64_t row_stride(GgmlType t, int64_t k) {
  switch (t) {
    case GgmlType::F32: return 4 * k;
    case GgmlType::F16:
    case GgmlType::BF16: return 2 * k;
    case GgmlType::Q8_0: return k / 32 * 34;
    case GgmlType::Q4_0: return k / 32 * 18;
    case GgmlType::Q4_K: return k / 256 * 144;
    case GgmlType::Q6_K: return k / 256 * 210;
  }
  return 0;
}

#if defined(__CUDACC__)
DTE_D float warp_sum(float v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}
DTE_D float warp_max(float v) {
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}
/// Sum over the block (blockDim.x a multiple of 32, ≤ 1024); every thread gets the result.
DTE_D float block_sum(float v, float* shared32) {
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32, warps = blockDim.x / 32;
  v = warp_sum(v);
  __syncthreads();
  if (lane == 0) shared32[warp] = v;
  __syncthreads();
  float s = lane < warps ? shared32[lane] : 0.0f;
  return warp_sum(s);
}
#endif

}  // namespace dte::cuda
