// Dispatch of the training attention: (sequence, head) pairs for the forward and (sequence, KV head)
// groups for the backward are split across the global pool, each run by the AVX2 or portable head body.
#include "kernels/cpu/train/attention_train.h"

#include <cmath>
#include <vector>

#include "core/cpu_features.h"
#include "core/thread_pool.h"
#include "kernels/cpu/arch/avx2/attention_train_avx2.h"
#include "kernels/cpu/train/attention_train_head.h"

namespace dte {

namespace {

struct GenericVec {
  static float dot(const float* a, const float* b, int64_t n) {
    float s = 0.0f;
    for (int64_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
  }
  static void axpy(float alpha, const float* x, float* y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] += alpha * x[i];
  }
};

// The head of query head h of sequence b, with its KV head (outputs and gradients as given).
AttentionTrainHead head_at(const AttentionTrainShape& s, int64_t b, int64_t h, const float* q, const float* k,
                           const float* v, const float* dout, float* out, float* probs, float* dq, float* dk,
                           float* dv) {
  const int64_t L = s.seq_len, H = s.n_head, HK = s.n_head_kv, D = s.head_dim;
  const int64_t kh = h / (H / HK);
  const int64_t qo = (b * L * H + h) * D;
  const int64_t ko = (b * L * HK + kh) * D;
  AttentionTrainHead a{};
  a.q = q + qo;
  a.k = k + ko;
  a.v = v + ko;
  a.dout = dout != nullptr ? dout + qo : nullptr;
  a.out = out != nullptr ? out + qo : nullptr;
  a.probs = probs + (b * H + h) * L * L;
  a.dq = dq != nullptr ? dq + qo : nullptr;
  a.dk = dk != nullptr ? dk + ko : nullptr;
  a.dv = dv != nullptr ? dv + ko : nullptr;
  a.seq_len = L;
  a.head_dim = D;
  a.q_stride = H * D;
  a.kv_stride = HK * D;
  a.scale = 1.0f / std::sqrt(static_cast<float>(D));
  return a;
}

}  // namespace

void attention_train_forward(const float* q, const float* k, const float* v, const AttentionTrainShape& s,
                             float* out, float* probs) {
  const bool vec = uses_avx2(active_isa());
  global_pool().parallel_for(s.num_seqs * s.n_head, [&](int64_t begin, int64_t end) {
    for (int64_t bh = begin; bh < end; bh++) {
      const AttentionTrainHead a =
          head_at(s, bh / s.n_head, bh % s.n_head, q, k, v, nullptr, out, probs, nullptr, nullptr, nullptr);
      if (vec) avx2::attention_head_forward(a);
      else attention_head_forward<GenericVec>(a);
    }
  });
}

void attention_train_backward(const float* dout, const float* q, const float* k, const float* v,
                              const float* probs, const AttentionTrainShape& s, float* dq, float* dk, float* dv) {
  const bool vec = uses_avx2(active_isa());
  const int64_t group = s.n_head / s.n_head_kv;
  // Every query head of a KV head runs on one thread, so no two threads write the same dk / dv row.
  global_pool().parallel_for(s.num_seqs * s.n_head_kv, [&](int64_t begin, int64_t end) {
    std::vector<float> dp(static_cast<size_t>(s.seq_len));
    for (int64_t bk = begin; bk < end; bk++) {
      const int64_t b = bk / s.n_head_kv, kh = bk % s.n_head_kv;
      for (int64_t h = kh * group; h < (kh + 1) * group; h++) {
        // probs is read-only here; the head struct has one pointer type for both directions.
        const AttentionTrainHead a =
            head_at(s, b, h, q, k, v, dout, nullptr, const_cast<float*>(probs), dq, dk, dv);
        if (vec) avx2::attention_head_backward(a, dp.data());
        else attention_head_backward<GenericVec>(a, dp.data());
      }
    }
  });
}

}  // namespace dte
