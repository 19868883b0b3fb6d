// pagedAttention(args): the bare paged-attention kernel with KV write, for tests and benchmarks
// (shapes in kernels/cpu/attention.h; argument names in src/modelBinding.ts).
#include <napi.h>

#include <cmath>

#include "bindings/args.h"
#include "bindings/registry.h"
#include "kernels/cpu/attention.h"
#include "model/forward_batch.h"

namespace dte {

namespace {

// ---- bare attention (tests) ----------------------------------------------------------------------

/// pagedAttention({ q, k, v, kCache, vCache, numBlocks, blockSize, nHead, nHeadKv, headDim, positions,
/// seqStarts, contextLens, blockTables, maxBlocksPerSeq, slotMapping }) → Float32Array [T*nHead*headDim].
/// Writes k/v into kCache/vCache (caller's arrays) first.
Napi::Value paged_attention_js(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  constexpr const char* kShape = "DTE_ERR_NATIVE_BATCH_SHAPE";
  if (info.Length() < 1 || !info[0].IsObject()) args::throw_coded(env, kShape, "Usage: pagedAttention(args)");
  Napi::Object a = info[0].As<Napi::Object>();
  const int64_t num_blocks = args::get_int(a, "numBlocks", 1, 1 << 24, kShape, "args");
  const int64_t block_size = args::get_int(a, "blockSize", 1, 1 << 16, kShape, "args");
  const int64_t n_head = args::get_int(a, "nHead", 1, 4096, kShape, "args");
  const int64_t n_head_kv = args::get_int(a, "nHeadKv", 1, 4096, kShape, "args");
  const int64_t head_dim = args::get_int(a, "headDim", 1, 4096, kShape, "args");
  if (n_head % n_head_kv != 0) args::throw_coded(env, kShape, "args.nHead must be a multiple of nHeadKv");
  const int64_t cache_len = num_blocks * block_size * n_head_kv * head_dim;
  Napi::Float32Array kc = args::get_float32(a, "kCache", cache_len, kShape, "args");
  Napi::Float32Array vc = args::get_float32(a, "vCache", cache_len, kShape, "args");
  KvCacheView cache{kc.Data(), vc.Data(), num_blocks, block_size, n_head_kv, head_dim};
  ForwardBatchCopy b = read_forward_batch(a, cache, -1);
  const int64_t T = static_cast<int64_t>(b.positions.size());
  Napi::Float32Array q = args::get_float32(a, "q", T * n_head * head_dim, kShape, "args");
  Napi::Float32Array k = args::get_float32(a, "k", T * n_head_kv * head_dim, kShape, "args");
  Napi::Float32Array v = args::get_float32(a, "v", T * n_head_kv * head_dim, kShape, "args");
  Napi::Float32Array out = Napi::Float32Array::New(env, static_cast<size_t>(T * n_head * head_dim));
  kv_cache_write(cache, k.Data(), v.Data(), b.slot_mapping.data(), T);
  paged_attention(cache, b.paged(), q.Data(), n_head, 1.0f / std::sqrt(static_cast<float>(head_dim)), out.Data());
  return out;
}

}  // namespace

void init_paged_attention_binding(Napi::Env env, Napi::Object exports) {
  exports.Set("pagedAttention", Napi::Function::New(env, paged_attention_js, "pagedAttention"));
}

namespace {
const BindingRegistrar kRegistrar(&init_paged_attention_binding);
}  // namespace

}  // namespace dte
