// ggml tensor element types supported by the CPU kernels, with their block geometry.
// A row of ne0 elements of a block type occupies (ne0 / block_size) * type_size bytes;
// ne0 must be a multiple of block_size for quantized types.
#pragma once
#include <cstddef>
#include <cstdint>

namespace dte {

enum class GgmlType : int32_t { F32 = 0, F16 = 1, Q4_0 = 2, Q8_0 = 8, Q4_K = 12, Q6_K = 14, BF16 = 30 };

/// Bytes of one row of ne0 elements (0 when the type is unsupported or ne0 is not a multiple of the block size).
size_t row_bytes(GgmlType t, int64_t ne0);
/// True for the types above.
bool is_supported(GgmlType t);
/// Elements per block (1 for F32/F16/BF16, 32 for Q8_0/Q4_0, 256 for K-quants); 0 if unsupported.
int64_t block_size(GgmlType t);
/// Bytes per block; 0 if unsupported.
size_t type_size(GgmlType t);
/// ggml's name of the type ("f32", "q4_K", ...), "?" if unsupported.
const char* type_name(GgmlType t);

}  // namespace dte
