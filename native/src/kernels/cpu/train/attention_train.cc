#include "kernels/cpu/train/attention_train.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/thread_pool.h"

namespace dte {

namespace {

inline float dot(const float* a, const float* b, int64_t n) {
  float s = 0.0f;
  for (int64_t i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

}  // namespace

void attention_train_forward(const float* q, const float* k, const float* v, const AttentionTrainShape& s,
                             float* out, float* probs) {
  const int64_t L = s.seq_len, H = s.n_head, HK = s.n_head_kv, D = s.head_dim;
  const int64_t group = H / HK;
  const float scale = 1.0f / std::sqrt(static_cast<float>(D));
  global_pool().parallel_for(s.num_seqs * H, [&](int64_t begin, int64_t end) {
    for (int64_t bh = begin; bh < end; bh++) {
      const int64_t b = bh / H, h = bh % H, kh = h / group;
      for (int64_t t = 0; t < L; t++) {
        const float* qt = q + ((b * L + t) * H + h) * D;
        float* p = probs + ((b * H + h) * L + t) * L;
        float mx = -INFINITY;
        for (int64_t u = 0; u <= t; u++) {
          p[u] = dot(qt, k + ((b * L + u) * HK + kh) * D, D) * scale;
          mx = std::max(mx, p[u]);
        }
        float z = 0.0f;
        for (int64_t u = 0; u <= t; u++) {
          p[u] = std::exp(p[u] - mx);
          z += p[u];
        }
        const float inv = 1.0f / z;
        float* o = out + ((b * L + t) * H + h) * D;
        std::fill(o, o + D, 0.0f);
        for (int64_t u = 0; u <= t; u++) {
          p[u] *= inv;
          const float* vu = v + ((b * L + u) * HK + kh) * D;
          for (int64_t d = 0; d < D; d++) o[d] += p[u] * vu[d];
        }
        std::fill(p + t + 1, p + L, 0.0f);
      }
    }
  });
}

void attention_train_backward(const float* dout, const float* q, const float* k, const float* v,
                              const float* probs, const AttentionTrainShape& s, float* dq, float* dk, float* dv) {
  const int64_t L = s.seq_len, H = s.n_head, HK = s.n_head_kv, D = s.head_dim;
  const int64_t group = H / HK;
  const float scale = 1.0f / std::sqrt(static_cast<float>(D));
  global_pool().parallel_for(s.num_seqs * HK, [&](int64_t begin, int64_t end) {
    std::vector<float> dp(static_cast<size_t>(L));
    for (int64_t bk = begin; bk < end; bk++) {
      const int64_t b = bk / HK, kh = bk % HK;
      for (int64_t h = kh * group; h < (kh + 1) * group; h++) {
        for (int64_t t = 0; t < L; t++) {
          const int64_t qo = ((b * L + t) * H + h) * D;
          const float* p = probs + ((b * H + h) * L + t) * L;
          const float* go = dout + qo;
          float sum = 0.0f;
          for (int64_t u = 0; u <= t; u++) {
            const int64_t vo = ((b * L + u) * HK + kh) * D;
            dp[u] = dot(go, v + vo, D);
            sum += p[u] * dp[u];
            float* dvu = dv + vo;
            for (int64_t d = 0; d < D; d++) dvu[d] += p[u] * go[d];
          }
          float* dqt = dq + qo;
          const float* qt = q + qo;
          for (int64_t u = 0; u <= t; u++) {
            const float ds = p[u] * (dp[u] - sum) * scale;
            const int64_t ko = ((b * L + u) * HK + kh) * D;
            const float* ku = k + ko;
            float* dku = dk + ko;
            for (int64_t d = 0; d < D; d++) {
              dqt[d] += ds * ku[d];
              dku[d] += ds * qt[d];
            }
          }
        }
      }
    }
  });
}

}  // namespace dte
