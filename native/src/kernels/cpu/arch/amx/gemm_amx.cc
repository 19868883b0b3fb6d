// Intel AMX int8 GEMM (see gemm_amx.h for the tile plan). Built with -mamx-tile -mamx-int8 -mavx512f
// -mavx512bw -mavx512vl -mfma -mf16c; runs only after the run-time check in cpu_features.cc. Like the
// AVX2 units it uses no STL and only internal-linkage helpers, so no AVX-512 copy of an inline function
// can be merged into portable code; scratch memory comes from the caller.
#include "kernels/cpu/arch/amx/gemm_amx.h"

#include <immintrin.h>

#include <cstring>

#include "kernels/cpu/quants.h"

namespace dte::amx {

namespace {

constexpr size_t kTileBytes = 512;  // B tile: 8 rows x 64 bytes (32 positions x 16 activation rows)

struct alignas(64) TileConfig {
  uint8_t palette;
  uint8_t start_row;
  uint8_t reserved[14];
  uint16_t colsb[16];
  uint8_t rows[16];
};

// Other AMX code in the process (llama.cpp's CPU backend, loaded by node-llama-cpp, runs on the same
// libuv threads) keeps its own tile configuration per thread and assumes nobody changes it; a tile
// instruction under a released or foreign configuration faults (#UD) or computes garbage. So every
// GEMM call saves the thread's configuration, loads ours, and puts the saved one back when done.
class TileScope {
 public:
  TileScope() {
    _tile_storeconfig(&saved_);
    configure();
  }
  ~TileScope() {
    if (saved_.palette == 0) _tile_release();
    else _tile_loadconfig(&saved_);
  }
  TileScope(const TileScope&) = delete;
  TileScope& operator=(const TileScope&) = delete;

 private:
  static void configure();
  TileConfig saved_;
};

void TileScope::configure() {
  TileConfig c;
  std::memset(&c, 0, sizeof c);
  c.palette = 1;
  c.rows[0] = 16;  // C: 16 weight rows x 16 i32
  c.colsb[0] = 64;
  c.rows[1] = 16;  // A: 16 weight rows x 32 bytes
  c.colsb[1] = 32;
  c.rows[2] = 8;  // B: 8 x (16 activation rows x 4 bytes)
  c.colsb[2] = 64;
  _tile_loadconfig(&c);
}

inline float f16(uint16_t h) { return _cvtsh_ss(h); }

// 32 int8 values of 16 rows (row n at src[n]) into one B tile in VNNI order.
inline void pack_tile(const int8_t* const* src, uint8_t* tile) {
  uint32_t* out = reinterpret_cast<uint32_t*>(tile);
  for (int n = 0; n < 16; ++n) {
    uint32_t v[8];
    std::memcpy(v, src[n], 32);
    for (int r = 0; r < 8; ++r) out[r * 16 + n] = v[r];
  }
}

// The i32 tile (16 weight rows x 16 activation rows) folded into acc[m] with scale[m] (per lane).
template <typename Scale>
inline void fold(const int32_t* c, __m512* acc, Scale scale) {
#pragma GCC unroll 16
  for (int m = 0; m < 16; ++m) {
    const __m512 v = _mm512_cvtepi32_ps(_mm512_load_si512(c + 16 * m));
    acc[m] = _mm512_fmadd_ps(v, scale(m), acc[m]);
  }
}

// acc[m][n] -> y[n * ldy + m]
inline void write_out(const __m512* acc, float* y, int64_t ldy) {
  alignas(64) float t[16 * 16];
  for (int m = 0; m < 16; ++m) _mm512_store_ps(t + 16 * m, acc[m]);
  for (int n = 0; n < 16; ++n)
    for (int m = 0; m < 16; ++m) y[n * ldy + m] = t[16 * m + n];
}

}  // namespace

// Q8_0 group: per block, the B tile then the 16 activation scales.
size_t packed_bytes_q8_0(int64_t k) { return static_cast<size_t>(k / QK8_0) * (kTileBytes + 16 * sizeof(float)); }

// Q8_K group: per super-block, 8 B tiles, the 16 scales d, then 8 x 16 of d x (bsum pair of the sub-block).
size_t packed_bytes_q8_K(int64_t k) {
  return static_cast<size_t>(k / QK_K) * (8 * kTileBytes + 9 * 16 * sizeof(float));
}

void pack_q8_0(const uint8_t* x, size_t x_row, int64_t k, uint8_t* out) {
  const int64_t nb = k / QK8_0;
  const block_q8_0s* rows[16];
  for (int n = 0; n < 16; ++n) rows[n] = reinterpret_cast<const block_q8_0s*>(x + x_row * static_cast<size_t>(n));
  for (int64_t b = 0; b < nb; ++b) {
    const int8_t* src[16];
    for (int n = 0; n < 16; ++n) src[n] = rows[n][b].qs;
    pack_tile(src, out);
    float* d = reinterpret_cast<float*>(out + kTileBytes);
    for (int n = 0; n < 16; ++n) d[n] = rows[n][b].d;
    out += kTileBytes + 16 * sizeof(float);
  }
}

void pack_q8_K(const uint8_t* x, size_t x_row, int64_t k, uint8_t* out) {
  const int64_t nsb = k / QK_K;
  const block_q8_K* rows[16];
  for (int n = 0; n < 16; ++n) rows[n] = reinterpret_cast<const block_q8_K*>(x + x_row * static_cast<size_t>(n));
  for (int64_t sb = 0; sb < nsb; ++sb) {
    for (int s = 0; s < 8; ++s) {
      const int8_t* src[16];
      for (int n = 0; n < 16; ++n) src[n] = rows[n][sb].qs + 32 * s;
      pack_tile(src, out + kTileBytes * static_cast<size_t>(s));
    }
    float* d = reinterpret_cast<float*>(out + 8 * kTileBytes);
    for (int n = 0; n < 16; ++n) d[n] = rows[n][sb].d;
    for (int s = 0; s < 8; ++s)
      for (int n = 0; n < 16; ++n) {
        const block_q8_K& xb = rows[n][sb];
        d[16 + 16 * s + n] = xb.d * static_cast<float>(xb.bsums[2 * s] + xb.bsums[2 * s + 1]);
      }
    out += packed_bytes_q8_K(QK_K);
  }
}

size_t scratch_bytes_q8_0(int64_t k) { return static_cast<size_t>(k / QK8_0) * 16 * sizeof(float); }

size_t scratch_bytes_q4_K(int64_t k) {
  return static_cast<size_t>(k) * 16 + static_cast<size_t>(k / 32) * 16 * 2 * sizeof(float);
}

void gemm_q8_0(const uint8_t* w, size_t w_row, int64_t k, const uint8_t* packed, int64_t groups, float* y,
               int64_t ldy, int64_t j0, void* scratch) {
  const TileScope tiles;
  const int64_t nb = k / QK8_0;
  const size_t group_bytes = packed_bytes_q8_0(k);
  const size_t block_bytes = kTileBytes + 16 * sizeof(float);
  // Weight scales as f32, [block][row], converted once for all activation groups.
  float* dw = static_cast<float*>(scratch);
  for (int r = 0; r < 16; ++r) {
    const block_q8_0* blk = reinterpret_cast<const block_q8_0*>(w + w_row * static_cast<size_t>(r));
    for (int64_t b = 0; b < nb; ++b) dw[static_cast<size_t>(b) * 16 + r] = f16(blk[b].d);
  }
  alignas(64) int32_t c[16 * 16];
  for (int64_t g = 0; g < groups; ++g) {
    const uint8_t* pg = packed + group_bytes * static_cast<size_t>(g);
    __m512 acc[16];
    for (int m = 0; m < 16; ++m) acc[m] = _mm512_setzero_ps();
    for (int64_t b = 0; b < nb; ++b) {
      const uint8_t* pb = pg + block_bytes * static_cast<size_t>(b);
      _tile_loadd(1, w + sizeof(block_q8_0) * static_cast<size_t>(b) + offsetof(block_q8_0, qs), w_row);
      _tile_loadd(2, pb, 64);
      _tile_zero(0);
      _tile_dpbssd(0, 1, 2);
      _tile_stored(0, c, 64);
      const __m512 dx = _mm512_loadu_ps(reinterpret_cast<const float*>(pb + kTileBytes));
      const float* s = dw + static_cast<size_t>(b) * 16;
      fold(c, acc, [&](int m) { return _mm512_mul_ps(dx, _mm512_set1_ps(s[m])); });
    }
    write_out(acc, y + (g * 16) * ldy + j0, ldy);
  }
}

void gemm_q4_K(const uint8_t* w, size_t w_row, int64_t k, const uint8_t* packed, int64_t groups, float* y,
               int64_t ldy, int64_t j0, void* scratch) {
  const TileScope tiles;
  const int64_t nsb = k / QK_K;
  const int64_t nsub = k / 32;
  const size_t group_bytes = packed_bytes_q8_K(k);
  const size_t sb_bytes = packed_bytes_q8_K(QK_K);
  // The 16 weight rows with their nibbles as bytes ([row][k]), d x scale and dmin x min per sub-block
  // ([sub-block][row]), unpacked once for all activation groups.
  uint8_t* q = static_cast<uint8_t*>(scratch);
  float* sc = reinterpret_cast<float*>(q + static_cast<size_t>(k) * 16);
  float* mn = sc + static_cast<size_t>(nsub) * 16;
  const __m256i low4 = _mm256_set1_epi8(0x0F);
  for (int r = 0; r < 16; ++r) {
    const block_q4_K* blk = reinterpret_cast<const block_q4_K*>(w + w_row * static_cast<size_t>(r));
    uint8_t* dst = q + static_cast<size_t>(k) * r;
    for (int64_t sb = 0; sb < nsb; ++sb) {
      alignas(16) uint8_t sm[16];
      q4k_unpack_scales(blk[sb].scales, sm);
      const float d = f16(blk[sb].d);
      const float dmin = f16(blk[sb].dmin);
      for (int s = 0; s < 8; ++s) {
        sc[static_cast<size_t>(sb * 8 + s) * 16 + r] = d * sm[s];
        mn[static_cast<size_t>(sb * 8 + s) * 16 + r] = dmin * sm[8 + s];
      }
      for (int j = 0; j < 4; ++j) {
        const __m256i bits = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk[sb].qs + 32 * j));
        uint8_t* o = dst + sb * QK_K + 64 * j;
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(o), _mm256_and_si256(bits, low4));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(o + 32), _mm256_and_si256(_mm256_srli_epi16(bits, 4), low4));
      }
    }
  }
  alignas(64) int32_t c[16 * 16];
  for (int64_t g = 0; g < groups; ++g) {
    const uint8_t* pg = packed + group_bytes * static_cast<size_t>(g);
    __m512 acc[16];
    for (int m = 0; m < 16; ++m) acc[m] = _mm512_setzero_ps();
    for (int64_t sb = 0; sb < nsb; ++sb) {
      const uint8_t* ps = pg + sb_bytes * static_cast<size_t>(sb);
      const float* xf = reinterpret_cast<const float*>(ps + 8 * kTileBytes);
      const __m512 xd = _mm512_loadu_ps(xf);
      for (int s = 0; s < 8; ++s) {
        _tile_loadd(1, q + sb * QK_K + 32 * s, k);
        _tile_loadd(2, ps + kTileBytes * static_cast<size_t>(s), 64);
        _tile_zero(0);
        _tile_dpbusd(0, 1, 2);
        _tile_stored(0, c, 64);
        const float* a = sc + static_cast<size_t>(sb * 8 + s) * 16;
        fold(c, acc, [&](int m) { return _mm512_mul_ps(xd, _mm512_set1_ps(a[m])); });
      }
      // mins: - dmin·min(row, sub-block) · d·bsum(activation row, sub-block)
      for (int s = 0; s < 8; ++s) {
        const __m512 bx = _mm512_loadu_ps(xf + 16 + 16 * s);
        const float* b = mn + static_cast<size_t>(sb * 8 + s) * 16;
#pragma GCC unroll 16
        for (int m = 0; m < 16; ++m) acc[m] = _mm512_fnmadd_ps(_mm512_set1_ps(b[m]), bx, acc[m]);
      }
    }
    write_out(acc, y + (g * 16) * ldy + j0, ldy);
  }
}

}  // namespace dte::amx
