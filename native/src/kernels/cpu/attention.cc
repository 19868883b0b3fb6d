// Paged attention on the CPU: see attention.h for shapes. Work is split into items
// (sequence, kv head, query chunk); each item handles the whole GQA group of its kv head so every
// cached K/V block is read once per chunk, and keeps flash-style running max/sum per query row.
#include "kernels/cpu/attention.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "core/fp16.h"
#include "core/thread_pool.h"
#include "kernels/cpu/attention_isa.h"

namespace dte {

namespace {

constexpr int64_t kQueryChunk = 16;

}  // namespace

void kv_cache_write(const KvCacheView& cache, const float* k, const float* v, const int32_t* slot_mapping,
                    int64_t n_tokens) {
  const int64_t row = cache.n_head_kv * cache.head_dim;
  if (cache.f16) {
    const detail::NarrowFn narrow = narrow_fn();
    for (int64_t t = 0; t < n_tokens; ++t) {
      const int64_t slot = slot_mapping[t];
      narrow(k + t * row, row, static_cast<uint16_t*>(cache.k) + slot * row);
      narrow(v + t * row, row, static_cast<uint16_t*>(cache.v) + slot * row);
    }
    return;
  }
  for (int64_t t = 0; t < n_tokens; ++t) {
    const int64_t slot = slot_mapping[t];
    std::memcpy(static_cast<float*>(cache.k) + slot * row, k + t * row, sizeof(float) * row);
    std::memcpy(static_cast<float*>(cache.v) + slot * row, v + t * row, sizeof(float) * row);
  }
}

namespace detail {

namespace {

// Dot product with 8 independent partial sums, so the compiler can vectorise it without fast-math.
inline float dot_generic(const float* a, const float* b, int64_t n) {
  float p[8] = {0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f};
  int64_t d = 0;
  for (; d + 8 <= n; d += 8)
    for (int i = 0; i < 8; ++i) p[i] += a[d + i] * b[d + i];
  float s = ((p[0] + p[4]) + (p[1] + p[5])) + ((p[2] + p[6]) + (p[3] + p[7]));
  for (; d < n; ++d) s += a[d] * b[d];
  return s;
}

// acc = acc·c + Σ_j p[j]·v_j, 16 lanes at a time held in a local array (registers) across all keys.
inline void scale_accumulate_generic(float c, const float* p, int64_t n_keys, const float* v, int64_t stride,
                                     float* acc, int64_t n) {
  int64_t d = 0;
  for (; d + 16 <= n; d += 16) {
    float a[16];
    for (int i = 0; i < 16; ++i) a[i] = acc[d + i] * c;
    for (int64_t j = 0; j < n_keys; ++j) {
      const float pj = p[j];
      const float* vj = v + j * stride + d;
      for (int i = 0; i < 16; ++i) a[i] += pj * vj[i];
    }
    for (int i = 0; i < 16; ++i) acc[d + i] = a[i];
  }
  for (; d < n; ++d) {
    float a = acc[d] * c;
    for (int64_t j = 0; j < n_keys; ++j) a += p[j] * v[j * stride + d];
    acc[d] = a;
  }
}

}  // namespace

void attend_block_generic(const float* const* q, int64_t rows, const float* k, const float* v, int64_t n_keys,
                          int64_t kv_stride, int64_t head_dim, const int64_t* limit, float* m, float* l, float* acc,
                          float* scores) {
  (void)n_keys;
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t lim = limit[r];
    if (lim <= 0) continue;
    float mx = -std::numeric_limits<float>::infinity();
    for (int64_t j = 0; j < lim; ++j) {
      scores[j] = dot_generic(q[r], k + j * kv_stride, head_dim);
      mx = std::max(mx, scores[j]);
    }
    float c = 1.f;
    if (mx > m[r]) {
      c = std::exp(m[r] - mx);
      l[r] *= c;
      m[r] = mx;
    }
    float sum = 0.f;
    for (int64_t j = 0; j < lim; ++j) {
      scores[j] = std::exp(scores[j] - m[r]);
      sum += scores[j];
    }
    scale_accumulate_generic(c, scores, lim, v, kv_stride, acc + r * head_dim, head_dim);
    l[r] += sum;
  }
}

void widen_rows_generic(const uint16_t* src, int64_t stride, int64_t n_rows, int64_t hd, float* dst) {
  for (int64_t j = 0; j < n_rows; ++j)
    for (int64_t d = 0; d < hd; ++d) dst[j * hd + d] = fp16_to_f32(src[j * stride + d]);
}

void narrow_generic(const float* src, int64_t n, uint16_t* dst) {
  for (int64_t i = 0; i < n; ++i) dst[i] = f32_to_fp16(src[i]);
}

}  // namespace detail

void paged_attention(const KvCacheView& cache, const PagedBatch& b, const float* q, int64_t n_head, float scale,
                     float* out) {
  const int64_t hd = cache.head_dim;
  const int64_t n_kv = cache.n_head_kv;
  const int64_t group = n_head / n_kv;
  const int64_t bs = cache.block_size;
  const int64_t kv_stride = n_kv * hd;

  // Work items (seq, kv head, chunk), biggest first so the dynamic queue stays balanced.
  struct Item {
    int32_t seq;
    int32_t kv_head;
    int32_t t0;
    int32_t t1;
    int64_t cost;
  };
  std::vector<Item> items;
  for (int64_t s = 0; s < b.n_seqs; ++s) {
    for (int64_t t0 = b.seq_starts[s]; t0 < b.seq_starts[s + 1]; t0 += kQueryChunk) {
      const int64_t t1 = std::min<int64_t>(t0 + kQueryChunk, b.seq_starts[s + 1]);
      int64_t max_pos = 0;
      for (int64_t t = t0; t < t1; ++t) max_pos = std::max<int64_t>(max_pos, b.positions[t]);
      for (int64_t h = 0; h < n_kv; ++h)
        items.push_back({static_cast<int32_t>(s), static_cast<int32_t>(h), static_cast<int32_t>(t0),
                         static_cast<int32_t>(t1), (max_pos + 1) * (t1 - t0)});
    }
  }
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& c) { return a.cost > c.cost; });

  const detail::AttendBlockFn attend = attend_block_fn();
  const detail::WidenRowsFn widen = widen_rows_fn();
  std::atomic<int64_t> next{0};
  const int64_t n_items = static_cast<int64_t>(items.size());
  ThreadPool& pool = global_pool();
  const int64_t n_workers = std::min<int64_t>(pool.size(), n_items);

  pool.parallel_for(n_workers, [&](int64_t, int64_t) {
    const int64_t max_rows = kQueryChunk * group;
    std::vector<float> qs(max_rows * hd), acc(max_rows * hd), m(max_rows), l(max_rows),
        scores(detail::attend_block_scratch(max_rows, bs, hd));
    // f16 cache: each block's rows of this kv head are widened to f32 here first.
    std::vector<float> kw(cache.f16 ? bs * hd : 0), vw(cache.f16 ? bs * hd : 0);
    std::vector<const float*> qp(max_rows);
    std::vector<int64_t> pos(max_rows), limit(max_rows);
    for (;;) {
      const int64_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= n_items) break;
      const Item& it = items[i];
      const int64_t rows = (it.t1 - it.t0) * group;
      int64_t max_pos = 0;
      for (int64_t t = it.t0; t < it.t1; ++t) {
        for (int64_t g = 0; g < group; ++g) {
          const int64_t r = (t - it.t0) * group + g;
          const float* src = q + (t * n_head + it.kv_head * group + g) * hd;
          float* dst = qs.data() + r * hd;
          for (int64_t d = 0; d < hd; ++d) dst[d] = src[d] * scale;
          qp[r] = dst;
          pos[r] = b.positions[t];
        }
        max_pos = std::max<int64_t>(max_pos, b.positions[t]);
      }
      std::fill(m.begin(), m.begin() + rows, -std::numeric_limits<float>::infinity());
      std::fill(l.begin(), l.begin() + rows, 0.f);
      std::fill(acc.begin(), acc.begin() + rows * hd, 0.f);
      const int32_t* table = b.block_tables + static_cast<int64_t>(it.seq) * b.max_blocks_per_seq;
      for (int64_t base = 0; base <= max_pos; base += bs) {
        const int64_t n_keys = std::min<int64_t>(bs, max_pos + 1 - base);
        for (int64_t r = 0; r < rows; ++r) limit[r] = std::clamp<int64_t>(pos[r] + 1 - base, 0, n_keys);
        const int64_t off = (static_cast<int64_t>(table[base / bs]) * bs * n_kv + it.kv_head) * hd;
        if (cache.f16) {
          widen(static_cast<const uint16_t*>(cache.k) + off, kv_stride, n_keys, hd, kw.data());
          widen(static_cast<const uint16_t*>(cache.v) + off, kv_stride, n_keys, hd, vw.data());
          attend(qp.data(), rows, kw.data(), vw.data(), n_keys, hd, hd, limit.data(), m.data(), l.data(), acc.data(),
                 scores.data());
        } else {
          attend(qp.data(), rows, static_cast<const float*>(cache.k) + off, static_cast<const float*>(cache.v) + off,
                 n_keys, kv_stride, hd, limit.data(), m.data(), l.data(), acc.data(), scores.data());
        }
      }
      for (int64_t t = it.t0; t < it.t1; ++t) {
        for (int64_t g = 0; g < group; ++g) {
          const int64_t r = (t - it.t0) * group + g;
          const float inv = 1.f / l[r];
          const float* ar = acc.data() + r * hd;
          float* o = out + (t * n_head + it.kv_head * group + g) * hd;
          for (int64_t d = 0; d < hd; ++d) o[d] = ar[d] * inv;
        }
      }
    }
  });
}

}  // namespace dte
