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
    const float id = amax != 0.0f ? 127.0f / amax : 0.0f;  // as ggml's AVX2 quantizer
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
    const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
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

namespace dte {

namespace {
inline int nearest(float v) { return static_cast<int>(std::nearbyint(v)); }
}  // namespace

// q4_K: each 32-element sub-block gets value = d·sc·q − dmin·m with q in 0..15, sc and m 6-bit.
// Simple scheme (not llama.cpp's iterative search): sub-block range [min(x, 0), max(x)] → 15 steps.
void quantize_row_q4_K(const float* x, block_q4_K* y, int64_t k) {
  for (int64_t b = 0; b < k / QK_K; ++b) {
    const float* xb = x + b * QK_K;
    float scale[8], offset[8];
    float max_scale = 0.0f, max_offset = 0.0f;
    for (int s = 0; s < 8; ++s) {
      float lo = 0.0f, hi = 0.0f;
      for (int l = 0; l < 32; ++l) {
        lo = std::min(lo, xb[32 * s + l]);
        hi = std::max(hi, xb[32 * s + l]);
      }
      scale[s] = (hi - lo) / 15.0f;
      offset[s] = -lo;
      max_scale = std::max(max_scale, scale[s]);
      max_offset = std::max(max_offset, offset[s]);
    }
    const float d = max_scale / 63.0f;
    const float dmin = max_offset / 63.0f;
    y[b].d = f32_to_fp16(d);
    y[b].dmin = f32_to_fp16(dmin);
    const float dq = fp16_to_f32(y[b].d);
    const float dminq = fp16_to_f32(y[b].dmin);
    uint8_t sc[8], mn[8];
    for (int s = 0; s < 8; ++s) {
      sc[s] = static_cast<uint8_t>(dq > 0.0f ? std::min(63, nearest(scale[s] / dq)) : 0);
      mn[s] = static_cast<uint8_t>(dminq > 0.0f ? std::min(63, nearest(offset[s] / dminq)) : 0);
    }
    for (int j = 0; j < 4; ++j) {
      y[b].scales[j] = static_cast<uint8_t>(sc[j] | ((sc[j + 4] >> 4) << 6));
      y[b].scales[j + 4] = static_cast<uint8_t>(mn[j] | ((mn[j + 4] >> 4) << 6));
      y[b].scales[j + 8] = static_cast<uint8_t>((sc[j + 4] & 0xF) | ((mn[j + 4] & 0xF) << 4));
    }
    for (int s = 0; s < 8; ++s) {
      const float step = dq * sc[s];
      const float off = dminq * mn[s];
      const float inv = step > 0.0f ? 1.0f / step : 0.0f;
      uint8_t* qs = y[b].qs + 32 * (s / 2);
      for (int l = 0; l < 32; ++l) {
        const int q = std::clamp(nearest((xb[32 * s + l] + off) * inv), 0, 15);
        if (s % 2 == 0) qs[l] = static_cast<uint8_t>(q);
        else qs[l] = static_cast<uint8_t>(qs[l] | (q << 4));
      }
    }
  }
}

// q6_K: each 16-element group gets value = d·sc·(q − 32) with q in 0..63 and sc an int8.
void quantize_row_q6_K(const float* x, block_q6_K* y, int64_t k) {
  for (int64_t b = 0; b < k / QK_K; ++b) {
    const float* xb = x + b * QK_K;
    float scale[16];
    float max_abs_scale = 0.0f;
    for (int g = 0; g < 16; ++g) {
      float amax = 0.0f;
      for (int l = 0; l < 16; ++l) amax = std::max(amax, std::fabs(xb[16 * g + l]));
      scale[g] = amax / 31.0f;
      max_abs_scale = std::max(max_abs_scale, scale[g]);
    }
    const float d = max_abs_scale / 127.0f;
    y[b].d = f32_to_fp16(d);
    const float dq = fp16_to_f32(y[b].d);
    uint8_t q[QK_K];
    for (int g = 0; g < 16; ++g) {
      const int sc = dq > 0.0f ? std::min(127, nearest(scale[g] / dq)) : 0;
      y[b].scales[g] = static_cast<int8_t>(sc);
      const float step = dq * static_cast<float>(sc);
      const float inv = step > 0.0f ? 1.0f / step : 0.0f;
      for (int l = 0; l < 16; ++l) q[16 * g + l] = static_cast<uint8_t>(std::clamp(nearest(xb[16 * g + l] * inv), -32, 31) + 32);
    }
    for (int half = 0; half < 2; ++half) {
      uint8_t* ql = y[b].ql + 64 * half;
      uint8_t* qh = y[b].qh + 32 * half;
      const uint8_t* v = q + 128 * half;
      for (int l = 0; l < 32; ++l) {
        ql[l] = static_cast<uint8_t>((v[l] & 0xF) | ((v[l + 64] & 0xF) << 4));
        ql[l + 32] = static_cast<uint8_t>((v[l + 32] & 0xF) | ((v[l + 96] & 0xF) << 4));
        qh[l] = static_cast<uint8_t>((v[l] >> 4) | ((v[l + 32] >> 4) << 2) | ((v[l + 64] >> 4) << 4) | ((v[l + 96] >> 4) << 6));
      }
    }
  }
}

}  // namespace dte
