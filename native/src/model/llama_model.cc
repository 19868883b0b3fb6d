// Llama-family forward: see llama_model.h for shapes. As llama.cpp does, the last layer keeps only
// the rows whose outputs are wanted once attention is done (the KV cache still gets every token).
#include "model/llama_model.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#include "core/thread_pool.h"

namespace dte {

namespace {

void add_in_place(float* x, const float* y, int64_t n) {
  constexpr int64_t kGrain = 1 << 14;
  const int64_t chunks = (n + kGrain - 1) / kGrain;
  auto body = [&](int64_t b, int64_t e) {
    const int64_t lo = b * kGrain;
    const int64_t hi = std::min(n, e * kGrain);
    for (int64_t i = lo; i < hi; ++i) x[i] += y[i];
  };
  if (chunks <= 1) {
    body(0, chunks);
  } else {
    global_pool().parallel_for(chunks, body);
  }
}

void gather_rows(const float* src, const int32_t* idx, int64_t n_rows, int64_t width, float* dst) {
  for (int64_t i = 0; i < n_rows; ++i) std::memcpy(dst + i * width, src + idx[i] * width, sizeof(float) * width);
}

}  // namespace

LlamaForward::LlamaForward(const LlamaHyper& hp, LlamaTensors tensors) : hp_(hp), w_(std::move(tensors)) {
  hp_.rope.freq_factors = w_.rope_freqs;
  kv_layer_elems_ = hp_.num_blocks * hp_.block_size * hp_.n_head_kv * hp_.head_dim;
  kv_elem_bytes_ = hp_.kv_f16 ? 2 : 4;
  const int64_t total = kv_layer_elems_ * 2 * hp_.n_layer;
  // calloc: untouched cache pages cost nothing until first written.
  kv_ = std::calloc(static_cast<size_t>(total), static_cast<size_t>(kv_elem_bytes_));
  if (kv_ == nullptr && total > 0) throw std::bad_alloc();
}

LlamaForward::~LlamaForward() { release(); }

void LlamaForward::release() {
  std::free(kv_);
  kv_ = nullptr;
  kv_layer_elems_ = 0;
  cap_tokens_ = cap_rows_ = 0;
  for (auto* b : {&x_, &xn_, &q_, &k_, &v_, &attn_, &gate_, &up_, &rows_a_, &rows_b_}) std::vector<float>().swap(*b);
}

int64_t LlamaForward::kv_cache_bytes() const {
  return kv_ == nullptr ? 0 : kv_layer_elems_ * 2 * hp_.n_layer * kv_elem_bytes_;
}

int64_t LlamaForward::output_size(int64_t n_logits, bool want_hidden) const {
  return n_logits * (want_hidden ? hp_.n_embd : hp_.n_vocab);
}

KvCacheView LlamaForward::cache_view(int64_t layer) const {
  char* base = static_cast<char*>(kv_) + layer * 2 * kv_layer_elems_ * kv_elem_bytes_;
  return KvCacheView{base,           base + kv_layer_elems_ * kv_elem_bytes_,
                     hp_.num_blocks, hp_.block_size,
                     hp_.n_head_kv,  hp_.head_dim,
                     hp_.kv_f16};
}

void LlamaForward::ensure_scratch(int64_t n_tokens, int64_t n_rows) {
  const int64_t q_dim = hp_.n_head * hp_.head_dim;
  const int64_t kv_dim = hp_.n_head_kv * hp_.head_dim;
  if (n_tokens > cap_tokens_) {
    const int64_t t = std::max(n_tokens, cap_tokens_ * 2 > 4096 ? n_tokens : cap_tokens_ * 2);
    x_.resize(t * hp_.n_embd);
    xn_.resize(t * hp_.n_embd);
    q_.resize(t * q_dim);
    attn_.resize(t * q_dim);
    k_.resize(t * kv_dim);
    v_.resize(t * kv_dim);
    gate_.resize(t * hp_.n_ff);
    up_.resize(t * hp_.n_ff);
    cap_tokens_ = t;
  }
  if (n_rows > cap_rows_) {
    rows_a_.resize(n_rows * std::max(hp_.n_embd, q_dim));
    rows_b_.resize(n_rows * std::max(hp_.n_embd, q_dim));
    cap_rows_ = n_rows;
  }
}

void LlamaForward::run(const LlamaStep& step, float* out) {
  const int64_t T = step.batch.n_tokens;
  const int64_t R = step.n_logits;
  const int64_t E = hp_.n_embd;
  const int64_t hd = hp_.head_dim;
  const int64_t q_dim = hp_.n_head * hd;
  const int64_t kv_dim = hp_.n_head_kv * hd;
  const float eps = hp_.norm_eps;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
  ensure_scratch(std::max(T, R), R);

  get_rows(w_.tok_embd, step.tokens, T, x_.data());
  int64_t m = T;  // rows flowing through the rest of the layer
  for (int64_t il = 0; il < hp_.n_layer; ++il) {
    const LlamaLayer& L = w_.layers[il];
    rms_norm(x_.data(), L.attn_norm, T, E, eps, xn_.data());
    matmul(L.wq, xn_.data(), T, q_.data());
    matmul(L.wk, xn_.data(), T, k_.data());
    matmul(L.wv, xn_.data(), T, v_.data());
    if (L.bq != nullptr) add_bias(q_.data(), L.bq, T, q_dim);
    if (L.bk != nullptr) add_bias(k_.data(), L.bk, T, kv_dim);
    if (L.bv != nullptr) add_bias(v_.data(), L.bv, T, kv_dim);
    if (L.q_norm != nullptr) {
      rms_norm(q_.data(), L.q_norm, T * hp_.n_head, hd, eps, attn_.data());
      std::swap(q_, attn_);
    }
    if (L.k_norm != nullptr) {
      rms_norm(k_.data(), L.k_norm, T * hp_.n_head_kv, hd, eps, attn_.data());
      std::copy(attn_.begin(), attn_.begin() + T * kv_dim, k_.begin());
    }
    rope(q_.data(), step.batch.positions, T, hp_.n_head, hd, hp_.rope);
    rope(k_.data(), step.batch.positions, T, hp_.n_head_kv, hd, hp_.rope);
    const KvCacheView cache = cache_view(il);
    kv_cache_write(cache, k_.data(), v_.data(), step.batch.slot_mapping, T);
    paged_attention(cache, step.batch, q_.data(), hp_.n_head, scale, attn_.data());

    if (il == hp_.n_layer - 1) {
      // Only the wanted rows go on: gather them (indices may repeat or be in any order).
      m = R;
      if (m == 0) break;
      gather_rows(attn_.data(), step.logits_indices, R, q_dim, rows_a_.data());
      std::copy(rows_a_.begin(), rows_a_.begin() + R * q_dim, attn_.begin());
      gather_rows(x_.data(), step.logits_indices, R, E, rows_b_.data());
      std::copy(rows_b_.begin(), rows_b_.begin() + R * E, x_.begin());
    }
    matmul(L.wo, attn_.data(), m, xn_.data());
    add_in_place(x_.data(), xn_.data(), m * E);
    rms_norm(x_.data(), L.ffn_norm, m, E, eps, xn_.data());
    matmul(L.ffn_gate, xn_.data(), m, gate_.data());
    matmul(L.ffn_up, xn_.data(), m, up_.data());
    silu_mul(gate_.data(), up_.data(), m * hp_.n_ff, gate_.data());
    matmul(L.ffn_down, gate_.data(), m, xn_.data());
    add_in_place(x_.data(), xn_.data(), m * E);
  }
  if (R == 0) return;
  if (hp_.n_layer == 0) {
    gather_rows(x_.data(), step.logits_indices, R, E, rows_b_.data());
    std::copy(rows_b_.begin(), rows_b_.begin() + R * E, x_.begin());
  }
  if (step.want_hidden) {
    rms_norm(x_.data(), w_.output_norm, R, E, eps, out);
    return;
  }
  rms_norm(x_.data(), w_.output_norm, R, E, eps, xn_.data());
  matmul(w_.output, xn_.data(), R, out);
}

}  // namespace dte
