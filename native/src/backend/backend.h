// One backend interface for the model's forward: buffer calls plus one entry per op, as a table of
// plain function pointers (in the manner of ggml's ggml_backend_i), so a backend can live in a library
// opened at run time (the CUDA one does: libdte_cuda.so, see backend/registry.h).
//
// Every pointer an op receives is the backend's memory (`alloc`ed, or `upload_weights`ed). The CPU
// backend's memory is host memory (`host_memory`): the model passes its host arrays straight through
// and nothing is copied. Device backends may queue ops asynchronously; a failure is sticky and is
// reported by the next `sync`, with the reason in `last_error`.
//
// Shapes (f32 activations, row-major): x, y [m][n]; matmul: y [m][w.n] = x [m][w.k] · Wᵀ.
#pragma once

#include <cstddef>
#include <cstdint>

#include "backend/types.h"

namespace dte {

/// Bumped whenever BackendOps or a type in backend/types.h changes layout; a library built against
/// another version is refused when it is opened.
constexpr uint32_t kBackendAbi = 1;

struct BackendOps {
  uint32_t abi;
  const char* name;   // "cpu", "cuda"
  bool host_memory;   // buffers are host memory
  void* ctx;

  /// Frees the backend's context and everything it still holds.
  void (*destroy)(void* ctx);

  // ---- buffers ---------------------------------------------------------------------------------
  /// `bytes` of zero-filled backend memory, or null when it cannot be had.
  void* (*alloc)(void* ctx, size_t bytes);
  void (*free)(void* ctx, void* p);
  /// Copies host → backend (`upload`) or backend → host (`download`); false on failure.
  bool (*upload)(void* ctx, void* dst, const void* src, size_t bytes);
  bool (*download)(void* ctx, void* dst, const void* src, size_t bytes);
  /// Bytes the backend could still allocate, or -1 when it does not know (the CPU).
  int64_t (*free_memory)(void* ctx);

  // ---- ops ---------------------------------------------------------------------------------------
  /// out [m][table.k] = dequantized rows ids[i] of table.
  void (*get_rows)(void* ctx, const WeightView* table, const int32_t* ids, int64_t m, float* out);
  /// y = x / sqrt(mean(x²) + eps) * w (w may be null); y may alias x.
  void (*rms_norm)(void* ctx, const float* x, const float* w, int64_t m, int64_t n, float eps, float* y);
  /// x += r (the residual add), then y = rms_norm(x) * w.
  void (*add_rms_norm)(void* ctx, float* x, const float* r, const float* w, int64_t m, int64_t n, float eps,
                       float* y);
  /// x [m][n] += b [n].
  void (*add_bias)(void* ctx, float* x, const float* b, int64_t m, int64_t n);
  void (*matmul)(void* ctx, const WeightView* w, const float* x, int64_t m, float* y);
  /// RoPE on q [T][n_head][hd] and k [T][n_head_kv][hd] in place at positions pos [T], then this
  /// batch's k and v rows written into the cache at slot_mapping [T].
  void (*rope_kv_write)(void* ctx, float* q, float* k, const float* v, const int32_t* pos, int64_t n_tokens,
                        int64_t n_head, const RopeParams* rope, const KvCacheView* cache,
                        const int32_t* slot_mapping);
  /// out [T][n_head][hd] = causal softmax(q·Kᵀ·scale)·V over each sequence's paged keys (GQA).
  void (*paged_attention)(void* ctx, const KvCacheView* cache, const PagedBatch* b, const float* q,
                          int64_t n_head, float scale, float* out);
  /// out[i] = silu(gate[i]) * up[i]; out may alias gate.
  void (*silu_mul)(void* ctx, const float* gate, const float* up, int64_t n, float* out);
  /// dst [n_rows][width] = src rows idx[i] (indices may repeat, any order; dst must not alias src).
  void (*gather_rows)(void* ctx, const float* src, const int32_t* idx, int64_t n_rows, int64_t width,
                      float* dst);

  // ---- completion --------------------------------------------------------------------------------
  /// Waits for queued work; false if anything failed since the last sync (reason in last_error).
  bool (*sync)(void* ctx);
  const char* (*last_error)(void* ctx);
};

/// The CPU backend (process-wide, never destroyed; its ops run on the global thread pool).
const BackendOps* cpu_backend();

}  // namespace dte
