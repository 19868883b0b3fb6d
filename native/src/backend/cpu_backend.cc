// The CPU backend: the table in backend.h over the CPU kernels (which pick their ISA path at run time).
// Its memory is host memory, so uploads and downloads are plain copies the model never needs to make.
#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "backend/backend.h"
#include "core/thread_pool.h"
#include "kernels/cpu/attention.h"
#include "kernels/cpu/matmul.h"
#include "kernels/cpu/ops.h"

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

void* cpu_alloc(void*, size_t bytes) { return std::calloc(bytes == 0 ? 1 : bytes, 1); }
void cpu_free(void*, void* p) { std::free(p); }
bool cpu_copy(void*, void* dst, const void* src, size_t bytes) {
  if (bytes > 0) std::memcpy(dst, src, bytes);
  return true;
}
int64_t cpu_free_memory(void*) { return -1; }

void cpu_get_rows(void*, const WeightView* table, const int32_t* ids, int64_t m, float* out) {
  get_rows(*table, ids, m, out);
}
void cpu_rms_norm(void*, const float* x, const float* w, int64_t m, int64_t n, float eps, float* y) {
  rms_norm(x, w, m, n, eps, y);
}
void cpu_add_rms_norm(void*, float* x, const float* r, const float* w, int64_t m, int64_t n, float eps, float* y) {
  add_in_place(x, r, m * n);
  rms_norm(x, w, m, n, eps, y);
}
void cpu_add_bias(void*, float* x, const float* b, int64_t m, int64_t n) { add_bias(x, b, m, n); }
void cpu_matmul(void*, const WeightView* w, const float* x, int64_t m, float* y) { matmul(*w, x, m, y); }
void cpu_rope_kv_write(void*, float* q, float* k, const float* v, const int32_t* pos, int64_t n_tokens,
                       int64_t n_head, const RopeParams* p, const KvCacheView* cache, const int32_t* slots) {
  rope(q, pos, n_tokens, n_head, cache->head_dim, *p);
  rope(k, pos, n_tokens, cache->n_head_kv, cache->head_dim, *p);
  kv_cache_write(*cache, k, v, slots, n_tokens);
}
void cpu_paged_attention(void*, const KvCacheView* cache, const PagedBatch* b, const float* q, int64_t n_head,
                         float scale, float* out) {
  paged_attention(*cache, *b, q, n_head, scale, out);
}
void cpu_silu_mul(void*, const float* gate, const float* up, int64_t n, float* out) { silu_mul(gate, up, n, out); }
void cpu_gather_rows(void*, const float* src, const int32_t* idx, int64_t n_rows, int64_t width, float* dst) {
  for (int64_t i = 0; i < n_rows; ++i) std::memcpy(dst + i * width, src + idx[i] * width, sizeof(float) * width);
}
bool cpu_sync(void*) { return true; }
const char* cpu_last_error(void*) { return ""; }
void cpu_destroy(void*) {}

const BackendOps kCpu = {
    kBackendAbi,      "cpu",        true,
    nullptr,          &cpu_destroy, &cpu_alloc,
    &cpu_free,        &cpu_copy,    &cpu_copy,
    &cpu_free_memory, &cpu_get_rows, &cpu_rms_norm,
    &cpu_add_rms_norm, &cpu_add_bias, &cpu_matmul,
    &cpu_rope_kv_write, &cpu_paged_attention, &cpu_silu_mul,
    &cpu_gather_rows, &cpu_sync,    &cpu_last_error,
};

}  // namespace

const BackendOps* cpu_backend() { return &kCpu; }

}  // namespace dte
