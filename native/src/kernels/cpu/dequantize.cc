// dequantize_row: k elements of any supported type -> f32 (portable; also the get_rows kernel).
#include "core/fp16.h"
#include "kernels/cpu/ops.h"
#include "kernels/cpu/quants.h"

namespace dte {

namespace {

void deq_q8_0(const block_q8_0* x, int64_t nb, float* y) {
  for (int64_t b = 0; b < nb; ++b) {
    const float d = fp16_to_f32(x[b].d);
    for (int i = 0; i < QK8_0; ++i) y[b * QK8_0 + i] = d * x[b].qs[i];
  }
}

void deq_q4_0(const block_q4_0* x, int64_t nb, float* y) {
  for (int64_t b = 0; b < nb; ++b) {
    const float d = fp16_to_f32(x[b].d);
    float* yb = y + b * QK4_0;
    for (int i = 0; i < QK4_0 / 2; ++i) {
      yb[i] = d * ((x[b].qs[i] & 0xF) - 8);
      yb[i + 16] = d * ((x[b].qs[i] >> 4) - 8);
    }
  }
}

void deq_q4_K(const block_q4_K* x, int64_t nb, float* y) {
  for (int64_t b = 0; b < nb; ++b) {
    const float d = fp16_to_f32(x[b].d);
    const float dmin = fp16_to_f32(x[b].dmin);
    const uint8_t* q = x[b].qs;
    for (int j = 0; j < 4; ++j) {
      uint8_t sc0, m0, sc1, m1;
      q4k_scale_min(2 * j, x[b].scales, &sc0, &m0);
      q4k_scale_min(2 * j + 1, x[b].scales, &sc1, &m1);
      const float d0 = d * sc0, d1 = d * sc1, mm0 = dmin * m0, mm1 = dmin * m1;
      for (int l = 0; l < 32; ++l) {
        y[l] = d0 * (q[l] & 0xF) - mm0;
        y[l + 32] = d1 * (q[l] >> 4) - mm1;
      }
      y += 64;
      q += 32;
    }
  }
}

void deq_q6_K(const block_q6_K* x, int64_t nb, float* y) {
  for (int64_t b = 0; b < nb; ++b) {
    const float d = fp16_to_f32(x[b].d);
    const uint8_t* ql = x[b].ql;
    const uint8_t* qh = x[b].qh;
    const int8_t* sc = x[b].scales;
    for (int half = 0; half < 2; ++half) {
      for (int l = 0; l < 32; ++l) {
        const int g = l / 16;
        const int q1 = ((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
        const int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
        const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
        const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
        y[l] = d * sc[g] * q1;
        y[l + 32] = d * sc[g + 2] * q2;
        y[l + 64] = d * sc[g + 4] * q3;
        y[l + 96] = d * sc[g + 6] * q4;
      }
      y += 128;
      ql += 64;
      qh += 32;
      sc += 8;
    }
  }
}

}  // namespace

void dequantize_row(GgmlType t, const uint8_t* src, int64_t k, float* out) {
  switch (t) {
    case GgmlType::F32: {
      const float* s = reinterpret_cast<const float*>(src);
      for (int64_t i = 0; i < k; ++i) out[i] = s[i];
      return;
    }
    case GgmlType::F16: {
      const uint16_t* s = reinterpret_cast<const uint16_t*>(src);
      for (int64_t i = 0; i < k; ++i) out[i] = fp16_to_f32(s[i]);
      return;
    }
    case GgmlType::BF16: {
      const uint16_t* s = reinterpret_cast<const uint16_t*>(src);
      for (int64_t i = 0; i < k; ++i) out[i] = bf16_to_f32(s[i]);
      return;
    }
    case GgmlType::Q8_0: deq_q8_0(reinterpret_cast<const block_q8_0*>(src), k / QK8_0, out); return;
    case GgmlType::Q4_0: deq_q4_0(reinterpret_cast<const block_q4_0*>(src), k / QK4_0, out); return;
    case GgmlType::Q4_K: deq_q4_K(reinterpret_cast<const block_q4_K*>(src), k / QK_K, out); return;
    case GgmlType::Q6_K: deq_q6_K(reinterpret_cast<const block_q6_K*>(src), k / QK_K, out); return;
  }
}

}  // namespace dte
