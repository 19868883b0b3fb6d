// Llama-family forward: see llama_model.h for shapes. As llama.cpp does, the last layer keeps only
// the rows whose outputs are wanted once attention is done (the KV cache still gets every token).
// Each residual add is fused with the RMSNorm that follows it (add_rms_norm), and RoPE with the KV
// write (rope_kv_write), so a device backend can run each pair as one kernel.
#include "model/llama_model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>

namespace dte {

void BackendDeleter::operator()(const BackendOps* b) const {
  if (b != nullptr && b != cpu_backend()) b->destroy(b->ctx);
}

LlamaForward::LlamaForward(const LlamaHyper& hp, LlamaTensors tensors, BackendHandle backend)
    : hp_(hp), w_(std::move(tensors)), be_(std::move(backend)) {
  if (!be_) be_ = BackendHandle(cpu_backend());
  try {
    if (!be_->host_memory) upload_weights();
    hp_.rope.freq_factors = w_.rope_freqs;
    kv_layer_elems_ = hp_.num_blocks * hp_.block_size * hp_.n_head_kv * hp_.head_dim;
    kv_elem_bytes_ = hp_.kv_f16 ? 2 : 4;
    const int64_t total = kv_layer_elems_ * 2 * hp_.n_layer * kv_elem_bytes_;
    // Zero-filled (on the CPU, calloc: untouched cache pages cost nothing until first written).
    kv_ = be_->alloc(be_->ctx, static_cast<size_t>(total));
    if (kv_ == nullptr) throw std::bad_alloc();
  } catch (...) {
    release();
    throw;
  }
}

LlamaForward::~LlamaForward() { release(); }

const uint8_t* LlamaForward::upload(const void* host, size_t bytes) {
  Buffer b;
  b.p = be_->alloc(be_->ctx, bytes);
  if (b.p == nullptr) throw std::bad_alloc();
  b.bytes = bytes;
  weight_buffers_.push_back(b);
  if (!be_->upload(be_->ctx, b.p, host, bytes))
    throw std::runtime_error(std::string("weight upload failed: ") + be_->last_error(be_->ctx));
  return static_cast<const uint8_t*>(b.p);
}

void LlamaForward::upload_weights() {
  // Tied tensors (output = tok_embd) share one host buffer: upload each buffer once.
  std::map<const void*, const uint8_t*> done;
  auto matrix = [&](WeightView& w) {
    if (w.data == nullptr) return;
    auto it = done.find(w.data);
    if (it == done.end()) it = done.emplace(w.data, upload(w.data, row_bytes(w.type, w.k) * w.n)).first;
    w.data = it->second;
  };
  auto vec = [&](const float*& v, int64_t n) {
    if (v != nullptr) v = reinterpret_cast<const float*>(upload(v, sizeof(float) * static_cast<size_t>(n)));
  };
  const int64_t q_dim = hp_.n_head * hp_.head_dim;
  const int64_t kv_dim = hp_.n_head_kv * hp_.head_dim;
  matrix(w_.tok_embd);
  matrix(w_.output);
  vec(w_.output_norm, hp_.n_embd);
  vec(w_.rope_freqs, hp_.rope.n_rot / 2);
  for (LlamaLayer& L : w_.layers) {
    for (WeightView* w : {&L.wq, &L.wk, &L.wv, &L.wo, &L.ffn_gate, &L.ffn_up, &L.ffn_down}) matrix(*w);
    vec(L.attn_norm, hp_.n_embd);
    vec(L.ffn_norm, hp_.n_embd);
    vec(L.bq, q_dim);
    vec(L.bk, kv_dim);
    vec(L.bv, kv_dim);
    vec(L.q_norm, hp_.head_dim);
    vec(L.k_norm, hp_.head_dim);
  }
  if (!be_->sync(be_->ctx)) throw std::runtime_error(std::string("weight upload failed: ") + be_->last_error(be_->ctx));
}

void LlamaForward::free_buffer(Buffer& b) {
  if (b.p != nullptr) be_->free(be_->ctx, b.p);
  b = Buffer{};
}

void LlamaForward::release() {
  if (!be_) return;
  if (kv_ != nullptr) be_->free(be_->ctx, kv_);
  kv_ = nullptr;
  kv_layer_elems_ = 0;
  cap_tokens_ = cap_rows_ = 0;
  for (Buffer* b : {&x_, &xn_, &q_, &k_, &v_, &attn_, &gate_, &up_, &rows_a_, &rows_b_, &ints_, &out_}) free_buffer(*b);
  for (Buffer& b : weight_buffers_) free_buffer(b);
  weight_buffers_.clear();
  std::vector<int32_t>().swap(staged_);
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

float* LlamaForward::scratch(Buffer& b, int64_t floats) {
  const size_t bytes = sizeof(float) * static_cast<size_t>(floats);
  if (b.bytes < bytes) {
    free_buffer(b);
    b.p = be_->alloc(be_->ctx, bytes);
    if (b.p == nullptr) throw std::bad_alloc();
    b.bytes = bytes;
  }
  return static_cast<float*>(b.p);
}

void LlamaForward::ensure_scratch(int64_t n_tokens, int64_t n_rows) {
  const int64_t q_dim = hp_.n_head * hp_.head_dim;
  const int64_t kv_dim = hp_.n_head_kv * hp_.head_dim;
  if (n_tokens > cap_tokens_) {
    const int64_t t = std::max(n_tokens, cap_tokens_ * 2 > 4096 ? n_tokens : cap_tokens_ * 2);
    scratch(x_, t * hp_.n_embd);
    scratch(xn_, t * hp_.n_embd);
    scratch(q_, t * q_dim);
    scratch(attn_, t * q_dim);
    scratch(k_, t * kv_dim);
    scratch(v_, t * kv_dim);
    scratch(gate_, t * hp_.n_ff);
    scratch(up_, t * hp_.n_ff);
    cap_tokens_ = t;
  }
  if (n_rows > cap_rows_) {
    scratch(rows_a_, n_rows * std::max(hp_.n_embd, q_dim));
    scratch(rows_b_, n_rows * std::max(hp_.n_embd, q_dim));
    if (!be_->host_memory) scratch(out_, n_rows * std::max(hp_.n_embd, hp_.n_vocab));
    cap_rows_ = n_rows;
  }
}

void LlamaForward::run(const LlamaStep& step, float* out) {
  const BackendOps& B = *be_;
  void* c = B.ctx;
  const int64_t T = step.batch.n_tokens;
  const int64_t R = step.n_logits;
  const int64_t E = hp_.n_embd;
  const int64_t hd = hp_.head_dim;
  const int64_t q_dim = hp_.n_head * hd;
  const float eps = hp_.norm_eps;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
  ensure_scratch(std::max(T, R), R);

  // The step's integer arrays, in backend memory.
  PagedBatch pb = step.batch;
  const int32_t* tokens = step.tokens;
  const int32_t* wanted = step.logits_indices;
  if (!B.host_memory) {
    const int64_t S = pb.n_seqs;
    const int64_t tables = S * pb.max_blocks_per_seq;
    staged_.clear();
    staged_.reserve(static_cast<size_t>(3 * T + (S + 1) + S + tables + R));
    auto put = [this](const int32_t* src, int64_t n) {
      const size_t at = staged_.size();
      staged_.insert(staged_.end(), src, src + n);
      return at;
    };
    const size_t o_tok = put(tokens, T), o_pos = put(pb.positions, T), o_slot = put(pb.slot_mapping, T);
    const size_t o_starts = put(pb.seq_starts, S + 1), o_ctx = put(pb.context_lens, S);
    const size_t o_tab = put(pb.block_tables, tables), o_want = put(wanted, R);
    int32_t* dev = reinterpret_cast<int32_t*>(scratch(ints_, static_cast<int64_t>(staged_.size())));
    if (!B.upload(c, dev, staged_.data(), sizeof(int32_t) * staged_.size()))
      throw std::runtime_error(std::string("batch upload failed: ") + B.last_error(c));
    tokens = dev + o_tok;
    pb.positions = dev + o_pos;
    pb.slot_mapping = dev + o_slot;
    pb.seq_starts = dev + o_starts;
    pb.context_lens = dev + o_ctx;
    pb.block_tables = dev + o_tab;
    wanted = dev + o_want;
  }

  float* x = static_cast<float*>(x_.p);
  float* xn = static_cast<float*>(xn_.p);
  float* q = static_cast<float*>(q_.p);
  float* k = static_cast<float*>(k_.p);
  float* v = static_cast<float*>(v_.p);
  float* attn = static_cast<float*>(attn_.p);
  float* gate = static_cast<float*>(gate_.p);
  float* up = static_cast<float*>(up_.p);
  float* rows_a = static_cast<float*>(rows_a_.p);
  float* rows_b = static_cast<float*>(rows_b_.p);
  float* dst = B.host_memory ? out : static_cast<float*>(out_.p);

  B.get_rows(c, &w_.tok_embd, tokens, T, x);
  int64_t m = T;  // rows flowing through the rest of the layer
  if (hp_.n_layer > 0) B.rms_norm(c, x, w_.layers[0].attn_norm, T, E, eps, xn);
  for (int64_t il = 0; il < hp_.n_layer; ++il) {
    const LlamaLayer& L = w_.layers[il];
    const bool last = il == hp_.n_layer - 1;
    B.matmul(c, &L.wq, xn, T, q);
    B.matmul(c, &L.wk, xn, T, k);
    B.matmul(c, &L.wv, xn, T, v);
    if (L.bq != nullptr) B.add_bias(c, q, L.bq, T, q_dim);
    if (L.bk != nullptr) B.add_bias(c, k, L.bk, T, hp_.n_head_kv * hd);
    if (L.bv != nullptr) B.add_bias(c, v, L.bv, T, hp_.n_head_kv * hd);
    if (L.q_norm != nullptr) B.rms_norm(c, q, L.q_norm, T * hp_.n_head, hd, eps, q);
    if (L.k_norm != nullptr) B.rms_norm(c, k, L.k_norm, T * hp_.n_head_kv, hd, eps, k);
    const KvCacheView cache = cache_view(il);
    B.rope_kv_write(c, q, k, v, pb.positions, T, hp_.n_head, &hp_.rope, &cache, pb.slot_mapping);
    B.paged_attention(c, &cache, &pb, q, hp_.n_head, scale, attn);

    if (last) {
      // Only the wanted rows go on: gather them (indices may repeat or be in any order).
      m = R;
      if (m == 0) break;
      B.gather_rows(c, attn, wanted, R, q_dim, rows_a);
      std::swap(attn, rows_a);
      B.gather_rows(c, x, wanted, R, E, rows_b);
      std::swap(x, rows_b);
    }
    B.matmul(c, &L.wo, attn, m, xn);
    B.add_rms_norm(c, x, xn, L.ffn_norm, m, E, eps, xn);
    B.matmul(c, &L.ffn_gate, xn, m, gate);
    B.matmul(c, &L.ffn_up, xn, m, up);
    B.silu_mul(c, gate, up, m * hp_.n_ff, gate);
    B.matmul(c, &L.ffn_down, gate, m, xn);
    // The residual add, fused with the next norm: the next layer's, or the output norm.
    float* y = last && step.want_hidden ? dst : xn;
    B.add_rms_norm(c, x, xn, last ? w_.output_norm : w_.layers[il + 1].attn_norm, m, E, eps, y);
  }
  if (R > 0) {
    if (hp_.n_layer == 0) {
      B.gather_rows(c, x, wanted, R, E, rows_b);
      B.rms_norm(c, rows_b, w_.output_norm, R, E, eps, step.want_hidden ? dst : xn);
    }
    if (!step.want_hidden) B.matmul(c, &w_.output, xn, R, dst);
    if (!B.host_memory) {
      const size_t bytes = sizeof(float) * static_cast<size_t>(output_size(R, step.want_hidden));
      if (!B.download(c, out, dst, bytes)) throw std::runtime_error(std::string("download failed: ") + B.last_error(c));
    }
  }
  if (!B.sync(c)) throw std::runtime_error(std::string("backend ") + B.name + ": " + B.last_error(c));
}

}  // namespace dte
