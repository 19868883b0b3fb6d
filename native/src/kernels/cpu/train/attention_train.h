// Causal multi-head attention for training (forward keeps the probabilities; backward from them).
// Layouts (T = num_seqs * seq_len tokens, sequence after sequence, row-major float32):
//   q, dq    [T][n_head][head_dim]
//   k, v, dk, dv  [T][n_head_kv][head_dim]   head h reads KV head h / (n_head / n_head_kv)
//   out, dout [T][n_head][head_dim]
//   probs   [num_seqs][n_head][seq_len][seq_len]  row t holds softmax(q_t·k_u / sqrt(head_dim)) for u <= t, 0 after
// The backward accumulates into dq, dk, dv. Work is split over (sequence, KV head) on the global pool,
// so no two threads write the same gradient row.
#pragma once
#include <cstdint>

namespace dte {

struct AttentionTrainShape {
  int64_t num_seqs;
  int64_t seq_len;
  int64_t n_head;
  int64_t n_head_kv;
  int64_t head_dim;
};

void attention_train_forward(const float* q, const float* k, const float* v, const AttentionTrainShape& s,
                             float* out, float* probs);

void attention_train_backward(const float* dout, const float* q, const float* k, const float* v,
                              const float* probs, const AttentionTrainShape& s, float* dq, float* dk, float* dv);

}  // namespace dte
