// ggml block layouts (byte-exact, little-endian) and the activation quantizers used by matmul.
//   block_q8_0: f16 d, int8 qs[32]                         value = qs[i] * d              (34 bytes)
//   block_q4_0: f16 d, uint8 qs[16]                        value = (nibble - 8) * d; low nibbles are
//               elements 0..15, high nibbles 16..31                                        (18 bytes)
//   block_q4_K: f16 d, f16 dmin, uint8 scales[12], uint8 qs[128]  (256 elements, 8 sub-blocks of 32
//               with 6-bit scale/min packed as in ggml's get_scale_min_k4)               (144 bytes)
//   block_q6_K: uint8 ql[128], uint8 qh[64], int8 scales[16], f16 d  (16 groups of 16)   (210 bytes)
//   block_q8_K: f32 d, int8 qs[256], int16 bsums[16] (sum of each group of 16 qs); activations only
#pragma once
#include <cstdint>

namespace dte {

constexpr int QK8_0 = 32;
constexpr int QK4_0 = 32;
constexpr int QK_K = 256;

#pragma pack(push, 1)
struct block_q8_0 {
  uint16_t d;
  int8_t qs[QK8_0];
};
struct block_q4_0 {
  uint16_t d;
  uint8_t qs[QK4_0 / 2];
};
struct block_q4_K {
  uint16_t d;
  uint16_t dmin;
  uint8_t scales[12];
  uint8_t qs[QK_K / 2];
};
struct block_q6_K {
  uint8_t ql[QK_K / 2];
  uint8_t qh[QK_K / 4];
  int8_t scales[QK_K / 16];
  uint16_t d;
};
#pragma pack(pop)
struct block_q8_K {
  float d;
  int8_t qs[QK_K];
  int16_t bsums[QK_K / 16];
};

/// Activation block for q8_0 and q4_0 weights on the AVX2 path: q8_0 values with an f32 scale (already
/// rounded through f16, as ggml's q8_0: no conversion per block in the dot) and s = d · Σqs, so q4_0's
/// -8 offset becomes one FMA per block.
struct block_q8_0s {
  float d;
  float s;
  int8_t qs[QK8_0];
};
static_assert(sizeof(block_q8_0) == 34, "q8_0 block size");
static_assert(sizeof(block_q4_0) == 18, "q4_0 block size");
static_assert(sizeof(block_q4_K) == 144, "q4_K block size");
static_assert(sizeof(block_q6_K) == 210, "q6_K block size");
static_assert(sizeof(block_q8_K) == 292, "q8_K block size");

/// 6-bit scale and min of sub-block j (0..7) of a q4_K super-block (ggml's get_scale_min_k4).
static inline void q4k_scale_min(int j, const uint8_t* q, uint8_t* sc, uint8_t* mn) {
  if (j < 4) {
    *sc = q[j] & 63;
    *mn = q[j + 4] & 63;
  } else {
    *sc = static_cast<uint8_t>((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
    *mn = static_cast<uint8_t>((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
  }
}

/// All 8 scales (out[0..7]) and mins (out[8..15]) of a q4_K super-block at once (same values as
/// q4k_scale_min, computed on 32-bit words).
static inline void q4k_unpack_scales(const uint8_t* q, uint8_t* out) {
  uint32_t u[4];
  __builtin_memcpy(u, q, 12);
  const uint32_t m6 = 0x3f3f3f3fu, m4 = 0x0f0f0f0fu, m2 = 0x03030303u;
  u[3] = ((u[2] >> 4) & m4) | (((u[1] >> 6) & m2) << 4);  // mins 4..7
  const uint32_t mins_lo = u[1] & m6;                      // mins 0..3
  u[1] = (u[2] & m4) | (((u[0] >> 6) & m2) << 4);          // scales 4..7
  u[2] = mins_lo;
  u[0] &= m6;                                              // scales 0..3
  __builtin_memcpy(out, u, 16);
}

/// Quantizes k floats (k % 32 == 0) to q8_0 blocks (round to nearest, d = amax / 127 stored as f16).
void quantize_row_q8_0(const float* x, block_q8_0* y, int64_t k);
/// Quantizes k floats (k % 256 == 0) to q8_K blocks.
void quantize_row_q8_K(const float* x, block_q8_K* y, int64_t k);
/// Quantizes k floats (k % 256 == 0) to q4_K / q6_K with a simple range-based scheme (the dequantizer
/// is ggml's; the scales are not llama.cpp's iterative choice). For synthetic weights and tests.
void quantize_row_q4_K(const float* x, block_q4_K* y, int64_t k);
void quantize_row_q6_K(const float* x, block_q6_K* y, int64_t k);
/// Quantizes k floats to q4_0 blocks (ggml's reference scheme: d = max / -8).
void quantize_row_q4_0(const float* x, block_q4_0* y, int64_t k);

}  // namespace dte
