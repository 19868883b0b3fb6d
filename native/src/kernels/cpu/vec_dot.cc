// Portable dot-product kernels and the per-type/per-ISA kernel table used by matmul.
#include "kernels/cpu/vec_dot.h"

#include <algorithm>
#include <cstring>


#include "core/fp16.h"
#include "kernels/cpu/arch/avx2/vec_dot_avx2.h"
#include "kernels/cpu/quants.h"

namespace dte {

namespace generic {

namespace {
// Branch-free f16 -> f32 (normals by rebiasing, subnormals by an exact int->float scale, inf/NaN by a
// second rebias): written so compilers vectorise the dot loop (SSE2 here, NEON on arm64).
inline float f16_bits_to_f32(int32_t h) {
  // signed 32-bit arithmetic and masks instead of branches: SSE2 has signed compares and
  // int->float conversion only, and both the subnormal and the normal result are always computed
  const int32_t em = h & 0x7fff;
  const int32_t inf_nan = -static_cast<int32_t>(em >= 0x7c00);
  const int32_t bits = (em << 13) + 0x38000000 + (inf_nan & 0x38000000);
  const float sub = static_cast<float>(em) * 5.9604644775390625e-8f;
  int32_t sub_bits;
  std::memcpy(&sub_bits, &sub, 4);
  const int32_t is_sub = -static_cast<int32_t>(em < 0x400);
  const int32_t out = (sub_bits & is_sub) | (bits & ~is_sub) | ((h & 0x8000) << 16);
  float f;
  std::memcpy(&f, &out, 4);
  return f;
}
}  // namespace

float dot_f32(int64_t k, const uint8_t* w, const void* x) {
  const float* a = reinterpret_cast<const float*>(w);
  const float* b = static_cast<const float*>(x);
  float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= k; i += 8) {
    for (int j = 0; j < 8; ++j) s[j] += a[i + j] * b[i + j];
  }
  float r = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
  for (; i < k; ++i) r += a[i] * b[i];
  return r;
}

float dot_f16(int64_t k, const uint8_t* w, const void* x) {
  const uint16_t* a = reinterpret_cast<const uint16_t*>(w);
  const float* b = static_cast<const float*>(x);
  float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= k; i += 8) {
    for (int j = 0; j < 8; ++j) s[j] += f16_bits_to_f32(static_cast<int32_t>(a[i + j])) * b[i + j];
  }
  float r = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
  for (; i < k; ++i) r += f16_bits_to_f32(static_cast<int32_t>(a[i])) * b[i];
  return r;
}

float dot_bf16(int64_t k, const uint8_t* w, const void* x) {
  const uint16_t* a = reinterpret_cast<const uint16_t*>(w);
  const float* b = static_cast<const float*>(x);
  float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= k; i += 8) {
    for (int j = 0; j < 8; ++j) s[j] += bf16_to_f32(a[i + j]) * b[i + j];
  }
  float r = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
  for (; i < k; ++i) r += bf16_to_f32(a[i]) * b[i];
  return r;
}

float dot_q8_0(int64_t k, const uint8_t* w, const void* x) {
  const block_q8_0* a = reinterpret_cast<const block_q8_0*>(w);
  const block_q8_0* b = static_cast<const block_q8_0*>(x);
  float r = 0.0f;
  for (int64_t i = 0; i < k / QK8_0; ++i) {
    int s = 0;
    for (int j = 0; j < QK8_0; ++j) s += a[i].qs[j] * b[i].qs[j];
    r += fp16_to_f32(a[i].d) * fp16_to_f32(b[i].d) * static_cast<float>(s);
  }
  return r;
}

// The quantized dots below first unpack a block into plain int8 arrays and then run fixed-length
// integer loops, a shape compilers auto-vectorise (SSE2 here, NEON on arm64).
namespace {
inline int dot_i8(const int8_t* a, const int8_t* b, int n) {
  int s = 0;
  for (int i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}
}  // namespace

float dot_q4_0(int64_t k, const uint8_t* w, const void* x) {
  const block_q4_0* a = reinterpret_cast<const block_q4_0*>(w);
  const block_q8_0* b = static_cast<const block_q8_0*>(x);
  float r = 0.0f;
  int8_t q[QK4_0];
  for (int64_t i = 0; i < k / QK4_0; ++i) {
    for (int j = 0; j < QK4_0 / 2; ++j) {
      q[j] = static_cast<int8_t>((a[i].qs[j] & 0xF) - 8);
      q[j + 16] = static_cast<int8_t>((a[i].qs[j] >> 4) - 8);
    }
    r += fp16_to_f32(a[i].d) * fp16_to_f32(b[i].d) * static_cast<float>(dot_i8(q, b[i].qs, QK4_0));
  }
  return r;
}

float dot_q4_K(int64_t k, const uint8_t* w, const void* x) {
  const block_q4_K* a = reinterpret_cast<const block_q4_K*>(w);
  const block_q8_K* b = static_cast<const block_q8_K*>(x);
  float r = 0.0f;
  int8_t q[QK_K];
  for (int64_t i = 0; i < k / QK_K; ++i) {
    uint8_t sm[16];
    q4k_unpack_scales(a[i].scales, sm);
    for (int j = 0; j < 4; ++j) {
      const uint8_t* q4 = a[i].qs + 32 * j;
      for (int l = 0; l < 32; ++l) {
        q[64 * j + l] = static_cast<int8_t>(q4[l] & 0xF);
        q[64 * j + 32 + l] = static_cast<int8_t>(q4[l] >> 4);
      }
    }
    int sumi = 0;
    int summ = 0;
    for (int s = 0; s < 8; ++s) {
      sumi += sm[s] * dot_i8(q + 32 * s, b[i].qs + 32 * s, 32);
      summ += sm[8 + s] * (b[i].bsums[2 * s] + b[i].bsums[2 * s + 1]);
    }
    r += b[i].d * (fp16_to_f32(a[i].d) * static_cast<float>(sumi) - fp16_to_f32(a[i].dmin) * static_cast<float>(summ));
  }
  return r;
}

float dot_q6_K(int64_t k, const uint8_t* w, const void* x) {
  const block_q6_K* a = reinterpret_cast<const block_q6_K*>(w);
  const block_q8_K* b = static_cast<const block_q8_K*>(x);
  float r = 0.0f;
  int8_t q[QK_K];
  for (int64_t i = 0; i < k / QK_K; ++i) {
    for (int half = 0; half < 2; ++half) {
      const uint8_t* ql = a[i].ql + 64 * half;
      const uint8_t* qh = a[i].qh + 32 * half;
      int8_t* o = q + 128 * half;
      for (int l = 0; l < 32; ++l) {
        o[l] = static_cast<int8_t>(((ql[l] & 0xF) | ((qh[l] & 3) << 4)) - 32);
        o[l + 32] = static_cast<int8_t>(((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32);
        o[l + 64] = static_cast<int8_t>(((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32);
        o[l + 96] = static_cast<int8_t>(((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32);
      }
    }
    int sumi = 0;
    for (int g = 0; g < 16; ++g) sumi += a[i].scales[g] * dot_i8(q + 16 * g, b[i].qs + 16 * g, 16);
    r += b[i].d * fp16_to_f32(a[i].d) * static_cast<float>(sumi);
  }
  return r;
}

// Multi-row versions for the portable path: the weight row is decoded once per chunk of 256 elements
// (to f32, or to int8 for the quantized formats) and reused for `rows` (2..4) activation rows.
namespace {

constexpr int kChunk = 256;

template <typename Decode>
void float_xn(int64_t k, const void* x, size_t stride, int rows, float* out, Decode decode) {
  float buf[kChunk];
  float acc[4][8] = {};
  const float* xr[4];
  for (int r = 0; r < rows; ++r) xr[r] = reinterpret_cast<const float*>(static_cast<const uint8_t*>(x) + stride * static_cast<size_t>(r));
  for (int64_t c = 0; c < k; c += kChunk) {
    const int len = static_cast<int>(std::min<int64_t>(kChunk, k - c));
    decode(c, len, buf);
    for (int r = 0; r < rows; ++r) {
      const float* xv = xr[r] + c;
      int i = 0;
      for (; i + 8 <= len; i += 8) {
        for (int j = 0; j < 8; ++j) acc[r][j] += buf[i + j] * xv[i + j];
      }
      for (; i < len; ++i) acc[r][0] += buf[i] * xv[i];
    }
  }
  for (int r = 0; r < rows; ++r) {
    out[r] = ((acc[r][0] + acc[r][1]) + (acc[r][2] + acc[r][3])) + ((acc[r][4] + acc[r][5]) + (acc[r][6] + acc[r][7]));
  }
}

}  // namespace

void dot_f16_xn(int64_t k, const uint8_t* w, const void* x, size_t stride, int rows, float* out) {
  const uint16_t* a = reinterpret_cast<const uint16_t*>(w);
  float_xn(k, x, stride, rows, out, [a](int64_t c, int len, float* buf) {
    for (int i = 0; i < len; ++i) buf[i] = f16_bits_to_f32(static_cast<int32_t>(a[c + i]));
  });
}

void dot_bf16_xn(int64_t k, const uint8_t* w, const void* x, size_t stride, int rows, float* out) {
  const uint16_t* a = reinterpret_cast<const uint16_t*>(w);
  float_xn(k, x, stride, rows, out, [a](int64_t c, int len, float* buf) {
    for (int i = 0; i < len; ++i) buf[i] = bf16_to_f32(a[c + i]);
  });
}

void dot_q4_0_xn(int64_t k, const uint8_t* w, const void* x, size_t stride, int rows, float* out) {
  const block_q4_0* a = reinterpret_cast<const block_q4_0*>(w);
  const block_q8_0* xr[4];
  for (int r = 0; r < rows; ++r) xr[r] = reinterpret_cast<const block_q8_0*>(static_cast<const uint8_t*>(x) + stride * static_cast<size_t>(r));
  float acc[4] = {0, 0, 0, 0};
  int8_t q[QK4_0];
  for (int64_t i = 0; i < k / QK4_0; ++i) {
    for (int j = 0; j < QK4_0 / 2; ++j) {
      q[j] = static_cast<int8_t>((a[i].qs[j] & 0xF) - 8);
      q[j + 16] = static_cast<int8_t>((a[i].qs[j] >> 4) - 8);
    }
    const float d = fp16_to_f32(a[i].d);
    for (int r = 0; r < rows; ++r) acc[r] += d * fp16_to_f32(xr[r][i].d) * static_cast<float>(dot_i8(q, xr[r][i].qs, QK4_0));
  }
  for (int r = 0; r < rows; ++r) out[r] = acc[r];
}

void dot_q4_K_xn(int64_t k, const uint8_t* w, const void* x, size_t stride, int rows, float* out) {
  const block_q4_K* a = reinterpret_cast<const block_q4_K*>(w);
  const block_q8_K* xr[4];
  for (int r = 0; r < rows; ++r) xr[r] = reinterpret_cast<const block_q8_K*>(static_cast<const uint8_t*>(x) + stride * static_cast<size_t>(r));
  float acc[4] = {0, 0, 0, 0};
  int8_t q[QK_K];
  for (int64_t i = 0; i < k / QK_K; ++i) {
    uint8_t sm[16];
    q4k_unpack_scales(a[i].scales, sm);
    for (int j = 0; j < 4; ++j) {
      const uint8_t* q4 = a[i].qs + 32 * j;
      for (int l = 0; l < 32; ++l) {
        q[64 * j + l] = static_cast<int8_t>(q4[l] & 0xF);
        q[64 * j + 32 + l] = static_cast<int8_t>(q4[l] >> 4);
      }
    }
    const float d = fp16_to_f32(a[i].d);
    const float dmin = fp16_to_f32(a[i].dmin);
    for (int r = 0; r < rows; ++r) {
      const block_q8_K& b = xr[r][i];
      int sumi = 0;
      int summ = 0;
      for (int s = 0; s < 8; ++s) {
        sumi += sm[s] * dot_i8(q + 32 * s, b.qs + 32 * s, 32);
        summ += sm[8 + s] * (b.bsums[2 * s] + b.bsums[2 * s + 1]);
      }
      acc[r] += b.d * (d * static_cast<float>(sumi) - dmin * static_cast<float>(summ));
    }
  }
  for (int r = 0; r < rows; ++r) out[r] = acc[r];
}

void dot_q6_K_xn(int64_t k, const uint8_t* w, const void* x, size_t stride, int rows, float* out) {
  const block_q6_K* a = reinterpret_cast<const block_q6_K*>(w);
  const block_q8_K* xr[4];
  for (int r = 0; r < rows; ++r) xr[r] = reinterpret_cast<const block_q8_K*>(static_cast<const uint8_t*>(x) + stride * static_cast<size_t>(r));
  float acc[4] = {0, 0, 0, 0};
  int8_t q[QK_K];
  for (int64_t i = 0; i < k / QK_K; ++i) {
    for (int half = 0; half < 2; ++half) {
      const uint8_t* ql = a[i].ql + 64 * half;
      const uint8_t* qh = a[i].qh + 32 * half;
      int8_t* o = q + 128 * half;
      for (int l = 0; l < 32; ++l) {
        o[l] = static_cast<int8_t>(((ql[l] & 0xF) | ((qh[l] & 3) << 4)) - 32);
        o[l + 32] = static_cast<int8_t>(((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32);
        o[l + 64] = static_cast<int8_t>(((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32);
        o[l + 96] = static_cast<int8_t>(((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32);
      }
    }
    const float d = fp16_to_f32(a[i].d);
    for (int r = 0; r < rows; ++r) {
      const block_q8_K& b = xr[r][i];
      int sumi = 0;
      for (int g = 0; g < 16; ++g) sumi += a[i].scales[g] * dot_i8(q + 16 * g, b.qs + 16 * g, 16);
      acc[r] += b.d * d * static_cast<float>(sumi);
    }
  }
  for (int r = 0; r < rows; ++r) out[r] = acc[r];
}

}  // namespace generic

namespace {

size_t bytes_f32(int64_t k) { return static_cast<size_t>(k) * sizeof(float); }
size_t bytes_q8_0(int64_t k) { return static_cast<size_t>(k / QK8_0) * sizeof(block_q8_0); }
size_t bytes_q8_0s(int64_t k) { return static_cast<size_t>(k / QK8_0) * sizeof(block_q8_0s); }
size_t bytes_q8_K(int64_t k) { return static_cast<size_t>(k / QK_K) * sizeof(block_q8_K); }

void prep_q8_0(const float* x, void* out, int64_t k) { quantize_row_q8_0(x, static_cast<block_q8_0*>(out), k); }
void prep_q8_K(const float* x, void* out, int64_t k) { quantize_row_q8_K(x, static_cast<block_q8_K*>(out), k); }

const MatmulKernels kGeneric[] = {
    {nullptr, bytes_f32, generic::dot_f32, nullptr, nullptr},     // F32
    {nullptr, bytes_f32, generic::dot_f16, generic::dot_f16_xn, nullptr},     // F16
    {nullptr, bytes_f32, generic::dot_bf16, generic::dot_bf16_xn, nullptr},    // BF16
    {prep_q8_0, bytes_q8_0, generic::dot_q8_0, nullptr, nullptr}, // Q8_0
    {prep_q8_0, bytes_q8_0, generic::dot_q4_0, generic::dot_q4_0_xn, nullptr}, // Q4_0
    {prep_q8_K, bytes_q8_K, generic::dot_q4_K, generic::dot_q4_K_xn, nullptr}, // Q4_K
    {prep_q8_K, bytes_q8_K, generic::dot_q6_K, generic::dot_q6_K_xn, nullptr}, // Q6_K
};

const MatmulKernels kAvx2[] = {
    {nullptr, bytes_f32, avx2::dot_f32, avx2::dot_f32_xn, avx2::dot_f32_2xn},
    {nullptr, bytes_f32, avx2::dot_f16, avx2::dot_f16_xn, avx2::dot_f16_2xn},
    {nullptr, bytes_f32, avx2::dot_bf16, avx2::dot_bf16_xn, avx2::dot_bf16_2xn},
    {avx2::quantize_row_q8_0s, bytes_q8_0s, avx2::dot_q8_0, avx2::dot_q8_0_xn, nullptr},
    {avx2::quantize_row_q8_0s, bytes_q8_0s, avx2::dot_q4_0, avx2::dot_q4_0_xn, nullptr},
    {avx2::quantize_row_q8_K, bytes_q8_K, avx2::dot_q4_K, avx2::dot_q4_K_xn, nullptr},
    {avx2::quantize_row_q8_K, bytes_q8_K, avx2::dot_q6_K, avx2::dot_q6_K_xn, nullptr},
};

int slot(GgmlType t) {
  switch (t) {
    case GgmlType::F32: return 0;
    case GgmlType::F16: return 1;
    case GgmlType::BF16: return 2;
    case GgmlType::Q8_0: return 3;
    case GgmlType::Q4_0: return 4;
    case GgmlType::Q4_K: return 5;
    case GgmlType::Q6_K: return 6;
  }
  return 0;
}

}  // namespace

const MatmulKernels& matmul_kernels(GgmlType t, Isa isa) {
  return uses_avx2(isa) ? kAvx2[slot(t)] : kGeneric[slot(t)];
}

}  // namespace dte
