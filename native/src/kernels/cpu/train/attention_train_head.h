// The per-(sequence, head) bodies of attention_train_forward / _backward, templated on two vector
// primitives (V::dot(a, b, n) and V::axpy(alpha, x, y, n): y += alpha·x) so the portable unit and the
// AVX2 unit compile one algorithm. Included by ISA-specific units: no STL and no library inline
// functions here (builtins only), so no AVX copy of anything can be merged into portable code.
//   q, dq, out, dout: seq_len rows of head_dim, q_stride floats apart (one query head of one sequence)
//   k, v, dk, dv:     seq_len rows of head_dim, kv_stride floats apart (its KV head)
//   probs:            [seq_len][seq_len], row t = softmax(q_t·k_u·scale) for u <= t, zeros after
#pragma once
#include <cstdint>

namespace dte {

struct AttentionTrainHead {
  const float* q;
  const float* k;
  const float* v;
  const float* dout;
  float* out;
  float* probs;
  float* dq;
  float* dk;
  float* dv;
  int64_t seq_len;
  int64_t head_dim;
  int64_t q_stride;
  int64_t kv_stride;
  float scale;
};

template <class V>
void attention_head_forward(const AttentionTrainHead& a) {
  const int64_t L = a.seq_len, D = a.head_dim;
  for (int64_t t = 0; t < L; t++) {
    const float* qt = a.q + t * a.q_stride;
    float* p = a.probs + t * L;
    float mx = -__builtin_inff();
    for (int64_t u = 0; u <= t; u++) {
      p[u] = V::dot(qt, a.k + u * a.kv_stride, D) * a.scale;
      mx = p[u] > mx ? p[u] : mx;
    }
    float z = 0.0f;
    for (int64_t u = 0; u <= t; u++) {
      p[u] = __builtin_expf(p[u] - mx);
      z += p[u];
    }
    const float inv = 1.0f / z;
    float* o = a.out + t * a.q_stride;
    for (int64_t d = 0; d < D; d++) o[d] = 0.0f;
    for (int64_t u = 0; u <= t; u++) {
      p[u] *= inv;
      V::axpy(p[u], a.v + u * a.kv_stride, o, D);
    }
    for (int64_t u = t + 1; u < L; u++) p[u] = 0.0f;
  }
}

/// Accumulates into dq, dk, dv; dp is scratch of seq_len floats.
template <class V>
void attention_head_backward(const AttentionTrainHead& a, float* dp) {
  const int64_t L = a.seq_len, D = a.head_dim;
  for (int64_t t = 0; t < L; t++) {
    const float* p = a.probs + t * L;
    const float* go = a.dout + t * a.q_stride;
    float sum = 0.0f;
    for (int64_t u = 0; u <= t; u++) {
      const int64_t vo = u * a.kv_stride;
      dp[u] = V::dot(go, a.v + vo, D);
      sum += p[u] * dp[u];
      V::axpy(p[u], go, a.dv + vo, D);
    }
    float* dqt = a.dq + t * a.q_stride;
    const float* qt = a.q + t * a.q_stride;
    for (int64_t u = 0; u <= t; u++) {
      const float ds = p[u] * (dp[u] - sum) * a.scale;
      const int64_t ko = u * a.kv_stride;
      V::axpy(ds, a.k + ko, dqt, D);
      V::axpy(ds, qt, a.dk + ko, D);
    }
  }
}

}  // namespace dte
