// The types every backend shares: weight views in GGUF layout, RoPE parameters, the paged KV cache
// view and one step's paged batch, and the batch check. Plain structs, no allocation, so the CUDA
// library (compiled by nvcc, opened at run time) sees exactly the layout the addon does.
//
// Pointers inside these structs are the backend's memory: host memory for the CPU backend, device
// memory for CUDA.
#pragma once

#include <cstdint>
#include <string>

#include "core/ggml_types.h"

namespace dte {

/// A weight matrix in GGUF layout: n rows of k elements, row j at data + j * row_bytes(type, k).
struct WeightView {
  GgmlType type;
  int64_t k;
  int64_t n;
  const uint8_t* data;
};

/// RoPE as llama.cpp applies it: normal (pairs 2i, 2i+1) or NeoX (pairs i, i + n_rot/2); dims >= n_rot
/// unchanged; YaRN as ggml's rope_yarn; freq_factors (n_rot/2 values, Llama 3's `rope_freqs`) divide
/// each pair's angle.
struct RopeParams {
  bool neox;
  int n_rot;
  float freq_base;
  float freq_scale;
  int n_ctx_orig;
  float ext_factor;
  float attn_factor;
  float beta_fast;
  float beta_slow;
  const float* freq_factors = nullptr;  // per rotated pair, or null (all 1)
};

/// One layer's K and V cache: [num_blocks][block_size][n_head_kv][head_dim], f32 or IEEE half.
struct KvCacheView {
  void* k;
  void* v;
  int64_t num_blocks;
  int64_t block_size;
  int64_t n_head_kv;
  int64_t head_dim;
  bool f16 = false;
};

/// One step's flattened batch of variable-length sequences (prefill chunks and decodes mixed).
/// positions [T], slot_mapping [T], seq_starts [S+1], context_lens [S],
/// block_tables [S][max_blocks_per_seq] (-1 padded). Key position j of sequence s lives in slot
/// block_tables[s][j / block_size] * block_size + j % block_size.
struct PagedBatch {
  int64_t n_tokens;
  int64_t n_seqs;
  const int32_t* positions;
  const int32_t* seq_starts;
  const int32_t* context_lens;
  const int32_t* block_tables;
  int64_t max_blocks_per_seq;
  const int32_t* slot_mapping;
};

/// A rejected batch: `code` is a stable DTE_ERR_NATIVE_* string.
struct BatchError {
  std::string code;
  std::string message;
};

/// Checks every field of `b` (host memory) against the cache geometry (offsets, lengths, positions,
/// block ids, slots). Array lengths must already match n_tokens/n_seqs. Returns false and fills `err`
/// if bad.
bool check_paged_batch(const KvCacheView& cache, const PagedBatch& b, BatchError* err);

}  // namespace dte
