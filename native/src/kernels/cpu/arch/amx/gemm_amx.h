// Intel AMX int8 GEMM for quantized mat-mat (prefill and large batches), behind matmul.cc. Call only
// when isa_available(Isa::Amx): the CPU has AMX-TILE/AMX-INT8 and AVX-512F/BW/VL, and the OS granted
// the tile state (cpu_features.cc asks for it with arch_prctl).
//
// Tiles: C (tmm0) 16 weight rows x 16 activation rows of i32; A (tmm1) 16 weight rows x 32 bytes (one
// 32-value block); B (tmm2) 8 x 64 bytes: the same 32 positions of 16 activation rows in AMX's VNNI
// layout (row r holds bytes 4r..4r+3 of every activation row). One block per tile product, so each
// block keeps its own float scales: the i32 tile is stored and folded into 16 f32 accumulators
// (one per weight row, a lane per activation row) with AVX-512.
//   Q8_0 weights x Q8_0 activations: TDPBSSD straight from the GGUF rows (tile stride = row bytes).
//   Q4_K weights x Q8_K activations: nibbles of 16 rows unpacked once per weight group, TDPBUSD per
//   32-value sub-block, the sub-block scales in the fold and the mins through the activations' bsums.
#pragma once
#include <cstddef>
#include <cstdint>

namespace dte::amx {

constexpr int64_t kRows = 16;  // weight rows and activation rows per tile

/// Bytes of one packed group of 16 prepared activation rows of length k.
size_t packed_bytes_q8_0(int64_t k);
size_t packed_bytes_q8_K(int64_t k);

/// Packs 16 prepared rows (block_q8_0s rows / block_q8_K rows, stride x_row bytes) into `out`.
void pack_q8_0(const uint8_t* x, size_t x_row, int64_t k, uint8_t* out);
void pack_q8_K(const uint8_t* x, size_t x_row, int64_t k, uint8_t* out);

/// Bytes of the per-call scratch of gemm_* (the 16 weight rows' scales, and Q4_K's unpacked nibbles).
size_t scratch_bytes_q8_0(int64_t k);
size_t scratch_bytes_q4_K(int64_t k);

/// y[(g*16 + i) * ldy + j0 + r] for the 16 weight rows j0.. (w points at row j0, stride w_row bytes)
/// against `groups` packed activation groups (stride packed_bytes_*); `scratch`: scratch_bytes_* bytes,
/// 64-byte aligned, owned by the calling thread.
void gemm_q8_0(const uint8_t* w, size_t w_row, int64_t k, const uint8_t* packed, int64_t groups, float* y,
               int64_t ldy, int64_t j0, void* scratch);
void gemm_q4_K(const uint8_t* w, size_t w_row, int64_t k, const uint8_t* packed, int64_t groups, float* y,
               int64_t ldy, int64_t j0, void* scratch);

}  // namespace dte::amx
