// One paged-attention kernel for prefill and decode over block tables: a block per (token, head,
// KV split), four warps taking keys in turn with an online softmax each (lanes split head_dim), merged
// in shared memory. GQA: head h reads kv head h / (n_head / n_head_kv). Causal by absolute position,
// so prefix-cached blocks need nothing extra: query at position p sees keys 0..p of its sequence.
// Small decode batches (fewer (token, head) pairs than twice the SMs) split the keys over several
// blocks (split-KV), and a second kernel merges the partial softmaxes.
#include "kernels/cuda/common.cuh"
#include "kernels/cuda/ops.h"

namespace dte::cuda {

namespace {
constexpr int kWarps = 4;
constexpr int kMaxHd = 256;
constexpr int kPerLane = kMaxHd / 32;
constexpr int64_t kSplitKeys = 512;  // keys per split, at least
constexpr int kMaxSplits = 16;

struct AttnArgs {
  const void* k;
  const void* v;
  bool f16;
  int64_t block_size, n_head_kv, hd, n_head, n_seqs, max_blocks;
  const int32_t* positions;
  const int32_t* seq_starts;
  const int32_t* block_tables;
  const float* q;
  float scale;
  int splits;
  int64_t split_len;
  float* out;      // final output (splits == 1)
  float* partial;  // [T][n_head][splits][hd + 2] (m, l, acc) when splits > 1
};

__device__ __forceinline__ float load_kv(const void* base, bool f16, int64_t i) {
  return f16 ? __half2float(static_cast<const __half*>(base)[i]) : static_cast<const float*>(base)[i];
}

__global__ void attention_kernel(AttnArgs a) {
  const int64_t t = blockIdx.x;
  const int64_t h = blockIdx.y;
  const int split = static_cast<int>(blockIdx.z);
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  // The token's sequence: the last s with seq_starts[s] <= t.
  int64_t lo = 0, hi = a.n_seqs - 1;
  while (lo < hi) {
    const int64_t mid = (lo + hi + 1) / 2;
    if (a.seq_starts[mid] <= t) lo = mid; else hi = mid - 1;
  }
  const int32_t* table = a.block_tables + lo * a.max_blocks;
  const int64_t p = a.positions[t];
  const int64_t kvh = h / (a.n_head / a.n_head_kv);
  const int64_t hd = a.hd;
  float qr[kPerLane], acc[kPerLane];
  const float* qrow = a.q + (t * a.n_head + h) * hd;
#pragma unroll
  for (int i = 0; i < kPerLane; ++i) {
    const int64_t d = lane + 32 * i;
    qr[i] = d < hd ? qrow[d] * a.scale : 0.0f;
    acc[i] = 0.0f;
  }
  float m = -INFINITY, l = 0.0f;
  const int64_t begin = split * a.split_len;
  int64_t end = begin + a.split_len;
  if (end > p + 1) end = p + 1;
  for (int64_t j = begin + warp; j < end; j += kWarps) {
    const int64_t slot = static_cast<int64_t>(table[j / a.block_size]) * a.block_size + j % a.block_size;
    const int64_t off = (slot * a.n_head_kv + kvh) * hd;
    float dot = 0.0f;
#pragma unroll
    for (int i = 0; i < kPerLane; ++i) {
      const int64_t d = lane + 32 * i;
      if (d < hd) dot += qr[i] * load_kv(a.k, a.f16, off + d);
    }
    const float s = warp_sum(dot);
    const float m_new = fmaxf(m, s);
    const float corr = __expf(m - m_new);
    const float w = __expf(s - m_new);
    l = l * corr + w;
#pragma unroll
    for (int i = 0; i < kPerLane; ++i) {
      const int64_t d = lane + 32 * i;
      if (d < hd) acc[i] = acc[i] * corr + w * load_kv(a.v, a.f16, off + d);
    }
    m = m_new;
  }
  // Merge the warps.
  __shared__ float sm_m[kWarps], sm_l[kWarps];
  __shared__ float sm_acc[kWarps][kMaxHd];
  if (lane == 0) {
    sm_m[warp] = m;
    sm_l[warp] = l;
  }
#pragma unroll
  for (int i = 0; i < kPerLane; ++i) {
    const int64_t d = lane + 32 * i;
    if (d < hd) sm_acc[warp][d] = acc[i];
  }
  __syncthreads();
  float mm = -INFINITY;
  for (int w = 0; w < kWarps; ++w) mm = fmaxf(mm, sm_m[w]);
  float ll = 0.0f;
  float f[kWarps];
  for (int w = 0; w < kWarps; ++w) {
    f[w] = sm_m[w] == -INFINITY ? 0.0f : __expf(sm_m[w] - mm);
    ll += sm_l[w] * f[w];
  }
  if (a.splits == 1) {
    float* o = a.out + (t * a.n_head + h) * hd;
    for (int64_t d = threadIdx.x; d < hd; d += blockDim.x) {
      float v = 0.0f;
      for (int w = 0; w < kWarps; ++w) v += sm_acc[w][d] * f[w];
      o[d] = ll > 0.0f ? v / ll : 0.0f;
    }
  } else {
    float* o = a.partial + ((t * a.n_head + h) * a.splits + split) * (hd + 2);
    if (threadIdx.x == 0) {
      o[0] = mm;
      o[1] = ll;
    }
    for (int64_t d = threadIdx.x; d < hd; d += blockDim.x) {
      float v = 0.0f;
      for (int w = 0; w < kWarps; ++w) v += sm_acc[w][d] * f[w];
      o[2 + d] = v;
    }
  }
}

__global__ void combine_kernel(const float* partial, int splits, int64_t n_head, int64_t hd, float* out) {
  const int64_t th = blockIdx.x;  // t * n_head + h
  const float* pa = partial + th * splits * (hd + 2);
  float mm = -INFINITY;
  for (int s = 0; s < splits; ++s) mm = fmaxf(mm, pa[s * (hd + 2)]);
  float ll = 0.0f;
  for (int s = 0; s < splits; ++s) {
    const float ms = pa[s * (hd + 2)];
    if (ms != -INFINITY) ll += pa[s * (hd + 2) + 1] * __expf(ms - mm);
  }
  for (int64_t d = threadIdx.x; d < hd; d += blockDim.x) {
    float v = 0.0f;
    for (int s = 0; s < splits; ++s) {
      const float ms = pa[s * (hd + 2)];
      if (ms != -INFINITY) v += pa[s * (hd + 2) + 2 + d] * __expf(ms - mm);
    }
    out[th * hd + d] = ll > 0.0f ? v / ll : 0.0f;
  }
}

}  // namespace

int64_t paged_attention_scratch(const PagedBatch& b, int64_t n_head, int64_t head_dim, int sm_count) {
  if (b.n_tokens * n_head >= 2LL * sm_count) return 0;
  return b.n_tokens * n_head * kMaxSplits * (head_dim + 2);
}

void paged_attention(const KvCacheView& cache, const PagedBatch& b, const float* q, int64_t n_head, float scale,
                     float* out, float* scratch, int sm_count, cudaStream_t s) {
  if (b.n_tokens <= 0) return;
  AttnArgs a{};
  a.k = cache.k;
  a.v = cache.v;
  a.f16 = cache.f16;
  a.block_size = cache.block_size;
  a.n_head_kv = cache.n_head_kv;
  a.hd = cache.head_dim;
  a.n_head = n_head;
  a.n_seqs = b.n_seqs;
  a.max_blocks = b.max_blocks_per_seq;
  a.positions = b.positions;
  a.seq_starts = b.seq_starts;
  a.block_tables = b.block_tables;
  a.q = q;
  a.scale = scale;
  a.out = out;
  a.partial = scratch;
  // Keys a sequence can have, at most (the host does not read the device's context lengths).
  const int64_t max_keys = b.max_blocks_per_seq * cache.block_size;
  int splits = 1;
  if (scratch != nullptr && b.n_tokens * n_head < 2LL * sm_count && max_keys > kSplitKeys) {
    const int64_t want = (max_keys + kSplitKeys - 1) / kSplitKeys;
    splits = static_cast<int>(want < kMaxSplits ? want : kMaxSplits);
  }
  a.splits = splits;
  a.split_len = (max_keys + splits - 1) / splits;
  const dim3 grid(static_cast<unsigned>(b.n_tokens), static_cast<unsigned>(n_head), static_cast<unsigned>(splits));
  attention_kernel<<<grid, kWarps * 32, 0, s>>>(a);
  if (splits > 1)
    combine_kernel<<<static_cast<unsigned>(b.n_tokens * n_head), 128, 0, s>>>(scratch, splits, n_head, cache.head_dim,
                                                                              out);
}

}  // namespace dte::cuda
