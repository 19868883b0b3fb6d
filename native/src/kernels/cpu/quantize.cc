// Row quantizers: f32 -> q8_0 / q8_K (activations for the integer dot products) and q4_0.
#include <algorithm>
#include <cmath>

#include "core/fp16.h"
#include "kernels/cpu/quants.h"

namespace dte {

void quantize_row_q8_0(const float* x, block_q8_0* y, int64_t k) {
  const int64_t nb = k / QK8_0;
  for (int64_t b = 0; b < nb; ++b) {
    const float* xb = x + b * QK8_0;
    float amax = 0.0f;
    for (int i = 0; i < QK8_0; ++i) amax = std::max(amax, std::fabs(xb[i]));
    const float d = amax / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y[b].d = f32_to_fp16(d);
    for (int i = 0; i < QK8_0; ++i) y[b].qs[i] = static_cast<int8_t>(std::nearbyint(xb[i] * id));
  }
}

void quantize_row_q8_K(const float* x, block_q8_K* y, int64_t k) {
  const int64_t nb = k / QK_K;
  for (int64_t b = 0; b < nb; ++b) {
    const float* xb = x + b * QK_K;
    float amax = 0.0f;
    for (int i = 0; i < QK_K; ++i) amax = std::max(amax, std::fabs(xb[i]));
    const float d = amax / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y[b].d = d;
    for (int i = 0; i < QK_K; ++i) {
      const int q = static_cast<int>(std::nearbyint(xb[i] * id));
      y[b].qs[i] = static_cast<int8_t>(std::clamp(q, -127, 127));
    }
    for (int g = 0; g < QK_K / 16; ++g) {
      int s = 0;
      for (int i = 0; i < 16; ++i) s += y[b].qs[g * 16 + i];
      y[b].bsums[g] = static_cast<int16_t>(s);
    }
  }
}

void quantize_row_q4_0(const float* x, block_q4_0* y, int64_t k) {
  const int64_t nb = k / QK4_0;
  for (int64_t b = 0; b < nb; ++b) {
    const float* xb = x + b * QK4_0;
    float amax = 0.0f;
    float vmax = 0.0f;
    for (int i = 0; i < QK4_0; ++i) {
      if (std::fabs(xb[i]) > amax) {
        amax = std::fabs(xb[i]);
        vmax = xb[i];
      }
    }
    const float d = vmax / -8.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y[b].d = f32_to_fp16(d);
    for (int i = 0; i < QK4_0 / 2; ++i) {
      const int lo = std::min(15, static_cast<int>(xb[i] * id + 8.5f));
      const int hi = std::min(15, static_cast<int>(xb[i + 16] * id + 8.5f));
      y[b].qs[i] = static_cast<uint8_t>(std::max(0, lo) | (std::max(0, hi) << 4));
    }
  }
}

}  // namespace dte
