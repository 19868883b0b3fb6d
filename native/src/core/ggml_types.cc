#include "core/ggml_types.h"

namespace dte {

int64_t block_size(GgmlType t) {
  switch (t) {
    case GgmlType::F32:
    case GgmlType::F16:
    case GgmlType::BF16: return 1;
    case GgmlType::Q4_0:
    case GgmlType::Q8_0: return 32;
    case GgmlType::Q4_K:
    case GgmlType::Q6_K: return 256;
  }
  return 0;
}

size_t type_size(GgmlType t) {
  switch (t) {
    case GgmlType::F32: return 4;
    case GgmlType::F16:
    case GgmlType::BF16: return 2;
    case GgmlType::Q4_0: return 18;
    case GgmlType::Q8_0: return 34;
    case GgmlType::Q4_K: return 144;
    case GgmlType::Q6_K: return 210;
  }
  return 0;
}

bool is_supported(GgmlType t) { return block_size(t) != 0; }

size_t row_bytes(GgmlType t, int64_t ne0) {
  const int64_t bs = block_size(t);
  if (bs == 0 || ne0 < 0 || ne0 % bs != 0) return 0;
  return static_cast<size_t>(ne0 / bs) * type_size(t);
}

const char* type_name(GgmlType t) {
  switch (t) {
    case GgmlType::F32: return "f32";
    case GgmlType::F16: return "f16";
    case GgmlType::BF16: return "bf16";
    case GgmlType::Q4_0: return "q4_0";
    case GgmlType::Q8_0: return "q8_0";
    case GgmlType::Q4_K: return "q4_K";
    case GgmlType::Q6_K: return "q6_K";
  }
  return "?";
}

}  // namespace dte
