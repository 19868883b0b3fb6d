// Llama-family decoder forward (llama, mistral, qwen2 with q/k/v bias, qwen3 with per-head q/k RMSNorm)
// over a paged KV cache, for one flattened batch of variable-length sequences.
//
// Activations (f32, row-major): x, xn [T][n_embd]; q, attn [T][n_head*head_dim];
// k, v [T][n_head_kv*head_dim]; gate, up [T][n_ff]. Output: [R][n_vocab] logits, or [R][n_embd]
// final-norm hidden rows when want_hidden, R = number of logits indices.
// KV cache per layer: [num_blocks][block_size][n_head_kv][head_dim] f32 (or f16) for K and for V.
//
// The forward is written once against the backend interface (backend/backend.h): on the CPU backend
// every array is the caller's host memory; on a device backend the weights are uploaded once at
// construction, the KV cache and scratch live in device memory, and only the step's integer arrays go
// up and the wanted output rows come back.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "backend/backend.h"

namespace dte {

struct LlamaHyper {
  int64_t n_vocab;
  int64_t n_embd;
  int64_t n_layer;
  int64_t n_head;
  int64_t n_head_kv;
  int64_t head_dim;
  int64_t n_ff;
  float norm_eps;
  RopeParams rope;
  int64_t block_size;
  int64_t num_blocks;
  bool kv_f16 = false;  // K/V cache elements stored as IEEE half
};

/// Weights of one layer; vectors (norms, biases) are f32 pointers, null when absent.
struct LlamaLayer {
  const float* attn_norm = nullptr;
  WeightView wq{}, wk{}, wv{}, wo{};
  const float* bq = nullptr;
  const float* bk = nullptr;
  const float* bv = nullptr;
  const float* q_norm = nullptr;
  const float* k_norm = nullptr;
  const float* ffn_norm = nullptr;
  WeightView ffn_gate{}, ffn_up{}, ffn_down{};
};

struct LlamaTensors {
  WeightView tok_embd{};
  const float* output_norm = nullptr;
  WeightView output{};  // tok_embd when tied
  const float* rope_freqs = nullptr;  // [head_dim / 2] divisors of the RoPE angles (Llama 3), or null
  std::vector<LlamaLayer> layers;
};

/// One step's inputs (already validated).
struct LlamaStep {
  PagedBatch batch;
  const int32_t* tokens;
  const int32_t* logits_indices;
  int64_t n_logits;
  bool want_hidden;
};

/// Owns an opened backend: destroys it (if it is not the process-wide CPU one) when dropped.
struct BackendDeleter {
  void operator()(const BackendOps* b) const;
};
using BackendHandle = std::unique_ptr<const BackendOps, BackendDeleter>;

class LlamaForward {
 public:
  /// Uploads the weights (device backends) and allocates the KV cache; throws std::bad_alloc when
  /// the backend cannot hold them, std::runtime_error when an upload fails.
  LlamaForward(const LlamaHyper& hp, LlamaTensors tensors, BackendHandle backend);
  ~LlamaForward();
  LlamaForward(const LlamaForward&) = delete;
  LlamaForward& operator=(const LlamaForward&) = delete;

  const LlamaHyper& hyper() const { return hp_; }
  const BackendOps& backend() const { return *be_; }
  /// Floats written to `out` by run(): n_logits × (want_hidden ? n_embd : n_vocab).
  int64_t output_size(int64_t n_logits, bool want_hidden) const;
  /// Runs the step (host arrays, already checked); `out` (host) must hold output_size() floats.
  /// Throws std::bad_alloc (scratch) or std::runtime_error (a backend failure).
  void run(const LlamaStep& step, float* out);
  /// Bytes held by the KV cache (0 after release()).
  int64_t kv_cache_bytes() const;
  /// Frees the KV cache, scratch and uploaded weights; run() must not be called afterwards.
  void release();
  /// The geometry of layer `layer`'s cache (its pointers are backend memory).
  KvCacheView cache_view(int64_t layer) const;

 private:
  struct Buffer {
    void* p = nullptr;
    size_t bytes = 0;
  };
  float* scratch(Buffer& b, int64_t floats);
  void ensure_scratch(int64_t n_tokens, int64_t n_rows);
  const uint8_t* upload(const void* host, size_t bytes);
  void upload_weights();
  void free_buffer(Buffer& b);

  LlamaHyper hp_;
  LlamaTensors w_;
  BackendHandle be_;
  std::vector<Buffer> weight_buffers_;  // device copies of the weights (device backends only)
  void* kv_ = nullptr;  // [n_layer][2][num_blocks*block_size*n_head_kv*head_dim] elements
  int64_t kv_layer_elems_ = 0;
  int64_t kv_elem_bytes_ = 4;
  int64_t cap_tokens_ = 0;
  int64_t cap_rows_ = 0;
  Buffer x_, xn_, q_, k_, v_, attn_, gate_, up_, rows_a_, rows_b_, ints_, out_;
  std::vector<int32_t> staged_;  // the step's integer arrays, packed for one upload
};

}  // namespace dte
