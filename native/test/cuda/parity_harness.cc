// Standalone CUDA parity harness (no Node): the CPU kernels are the reference. Built by
// scripts/build-cuda.cjs next to libdte_cuda.so from the addon's own CPU objects; run by
// `npm run test:cuda` (scripts/test-cuda.sh), which needs nothing on the GPU machine but these files.
//
//   dte_cuda_parity [--library PATH] [--bench] [--quick] [--self-test]
// (--self-test puts the CPU backend in CUDA's place: every check must then pass, which tests the
// harness itself on a machine without a GPU.)
//
// Checks, each a row of the printed table and a field of the last line's JSON:
//   host     the device element decoder (kernels/cuda/common.cuh, compiled for the host here) against the
//            CPU dequantizer, bit for bit, for every weight type: runs without a GPU
//   ops      every backend op on random inputs, CUDA against CPU: matmul per type and batch size
//            (1…512 columns), embedding gather, RMSNorm (+ residual), RoPE + KV write (normal, NeoX,
//            YaRN, rope_freqs; f32 and f16 cache), paged attention (head sizes, GQA ratios, scrambled and
//            shared block tables, batches of 1…512 tokens, split-KV decode), SwiGLU, bias, row gather
//   model    greedy decoding on synthetic llama / qwen2 (biases) / qwen3 (q/k norms) models per weight
//            type: the CUDA forward against the CPU forward on the same (dequantized) weights
//   batch    batch invariance on the GPU: each sequence decoded alone and inside a batch of 8
//   bench    (--bench) decode b1/b8/b32/b128 and a 2,048-token prefill on a ~1B synthetic model per
//            weight type, as a share of the device's measured copy bandwidth
// Normalised error = RMS(cuda − cpu) / RMS(cpu); the contract is ≤ 5e-4. Exit 0 when every check
// passes, 1 when one fails, 77 when there is no usable device (after the host checks passed).
#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "backend/registry.h"
#include "core/fp16.h"
#include "core/ggml_types.h"
#include "kernels/cpu/ops.h"
#include "kernels/cpu/quants.h"
#include "kernels/cuda/common.cuh"
#include "model/llama_model.h"

using namespace dte;

namespace {

constexpr double kContract = 5e-4;
bool g_self_test = false;  // --self-test: the CPU backend stands in for CUDA (checks the harness itself)

/// The backend under test: CUDA, or the CPU one in --self-test.
BackendHandle open_candidate(const std::string& library) {
  if (g_self_test) return BackendHandle(cpu_backend());
  std::string code, msg;
  BackendHandle be = open_backend("cuda", library, 0, &code, &msg);
  if (!be) throw std::runtime_error(msg);
  return be;
}

struct Result {
  std::string group, name;
  double err;
  bool ok;
  std::string note;
};
std::vector<Result> g_results;

void record(const std::string& group, const std::string& name, double err, bool ok, const std::string& note = "") {
  g_results.push_back({group, name, err, ok, note});
  std::printf("  %-6s %-58s %10.3e  %s %s\n", group.c_str(), name.c_str(), err, ok ? "ok  " : "FAIL", note.c_str());
  std::fflush(stdout);
}

double norm_err(const std::vector<float>& ref, const std::vector<float>& got) {
  double num = 0, den = 0;
  for (size_t i = 0; i < ref.size(); ++i) {
    const double d = static_cast<double>(got[i]) - ref[i];
    num += d * d;
    den += static_cast<double>(ref[i]) * ref[i];
  }
  if (!std::isfinite(num)) return INFINITY;
  return den == 0 ? std::sqrt(num) : std::sqrt(num / den);
}

std::mt19937_64 g_rng(20261203);
float urand(float lo = -1, float hi = 1) { return std::uniform_real_distribution<float>(lo, hi)(g_rng); }
std::vector<float> rand_vec(size_t n, float scale = 1) {
  std::vector<float> v(n);
  for (auto& x : v) x = urand() * scale;
  return v;
}

// ---- weights -------------------------------------------------------------------------------------

const std::vector<GgmlType> kTypes = {GgmlType::F32, GgmlType::F16, GgmlType::BF16, GgmlType::Q8_0,
                                      GgmlType::Q4_0, GgmlType::Q4_K, GgmlType::Q6_K};

/// A fast uniform [-1, 1) stream (splitmix64), for the bench's billion weights.
struct FastRng {
  uint64_t s;
  float next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return static_cast<float>(z >> 40) * (2.0f / 16777216.0f) - 1.0f;
  }
};

/// Random weights of `type`, n rows of k, quantized with the CPU quantizers.
std::vector<uint8_t> make_weight(GgmlType t, int64_t k, int64_t n, float scale = 0.5f) {
  const size_t rb = row_bytes(t, k);
  std::vector<uint8_t> out(rb * n);
  std::vector<float> row(k);
  FastRng fr{g_rng()};
  for (int64_t j = 0; j < n; ++j) {
    for (auto& x : row) x = fr.next() * scale;
    uint8_t* dst = out.data() + rb * j;
    switch (t) {
      case GgmlType::F32: std::memcpy(dst, row.data(), rb); break;
      case GgmlType::F16:
        for (int64_t i = 0; i < k; ++i) {
          const uint16_t h = f32_to_fp16(row[i]);
          std::memcpy(dst + 2 * i, &h, 2);
        }
        break;
      case GgmlType::BF16:
        for (int64_t i = 0; i < k; ++i) {
          const uint16_t h = f32_to_bf16(row[i]);
          std::memcpy(dst + 2 * i, &h, 2);
        }
        break;
      case GgmlType::Q8_0: quantize_row_q8_0(row.data(), reinterpret_cast<block_q8_0*>(dst), k); break;
      case GgmlType::Q4_0: quantize_row_q4_0(row.data(), reinterpret_cast<block_q4_0*>(dst), k); break;
      case GgmlType::Q4_K: quantize_row_q4_K(row.data(), reinterpret_cast<block_q4_K*>(dst), k); break;
      case GgmlType::Q6_K: quantize_row_q6_K(row.data(), reinterpret_cast<block_q6_K*>(dst), k); break;
    }
  }
  return out;
}

/// The same weights as F32 (the CPU dequantizer): the reference for kernels that keep activations f32.
std::vector<uint8_t> to_f32(GgmlType t, const std::vector<uint8_t>& w, int64_t k, int64_t n) {
  std::vector<uint8_t> out(sizeof(float) * k * n);
  const size_t rb = row_bytes(t, k);
  for (int64_t j = 0; j < n; ++j)
    dequantize_row(t, w.data() + rb * j, k, reinterpret_cast<float*>(out.data()) + k * j);
  return out;
}

// ---- host check: device element decoder vs CPU dequantizer ---------------------------------------

bool host_checks() {
  bool all = true;
  for (GgmlType t : kTypes) {
    const int64_t k = 512, n = 16;
    const auto w = make_weight(t, k, n, 3.0f);
    std::vector<float> ref(k);
    int64_t mismatches = 0;
    for (int64_t j = 0; j < n; ++j) {
      const uint8_t* row = w.data() + row_bytes(t, k) * j;
      dequantize_row(t, row, k, ref.data());
      for (int64_t e = 0; e < k; ++e) {
        const float got = cuda::weight_elem(t, row, e);
        if (std::memcmp(&got, &ref[e], 4) != 0) ++mismatches;
      }
      if (cuda::row_stride(t, k) != static_cast<int64_t>(row_bytes(t, k))) ++mismatches;
    }
    record("host", std::string("element decoder = CPU dequantizer, ") + type_name(t), static_cast<double>(mismatches),
           mismatches == 0, "(mismatching elements)");
    all = all && mismatches == 0;
  }
  return all;
}

// ---- device buffers ------------------------------------------------------------------------------

struct Dev {
  const BackendOps* b;
  std::vector<void*> live;
  explicit Dev(const BackendOps* be) : b(be) {}
  ~Dev() { clear(); }
  void clear() {
    for (void* p : live) b->free(b->ctx, p);
    live.clear();
  }
  template <typename T>
  T* put(const std::vector<T>& host) {
    void* p = b->alloc(b->ctx, sizeof(T) * std::max<size_t>(1, host.size()));
    if (p == nullptr) throw std::runtime_error("device alloc failed");
    live.push_back(p);
    if (!host.empty() && !b->upload(b->ctx, p, host.data(), sizeof(T) * host.size()))
      throw std::runtime_error(std::string("upload: ") + b->last_error(b->ctx));
    return static_cast<T*>(p);
  }
  template <typename T>
  T* zeros(size_t n) {
    return put(std::vector<T>(n));
  }
  template <typename T>
  std::vector<T> get(const T* p, size_t n) {
    std::vector<T> h(n);
    if (!b->download(b->ctx, h.data(), p, sizeof(T) * n) || !b->sync(b->ctx))
      throw std::runtime_error(std::string("download: ") + b->last_error(b->ctx));
    return h;
  }
  void sync(const char* what) {
    if (!b->sync(b->ctx)) throw std::runtime_error(std::string(what) + ": " + b->last_error(b->ctx));
  }
};

const BackendOps& cpu() { return *cpu_backend(); }

// ---- op checks -----------------------------------------------------------------------------------

void check_matmul(Dev& d, bool quick) {
  const std::vector<int64_t> ms = quick ? std::vector<int64_t>{1, 8, 9, 64} : std::vector<int64_t>{1, 2, 3, 5, 8, 9, 17, 64, 130, 512};
  for (GgmlType t : kTypes) {
    const int64_t k = 512, n = 200;
    const auto w = make_weight(t, k, n);
    const auto wf = to_f32(t, w, k, n);
    const WeightView ref_w{GgmlType::F32, k, n, wf.data()};
    // In --self-test the CPU runs the F32 weights (its quantized path rounds activations to 8 bits).
    const uint8_t* dw = d.put(g_self_test ? wf : w);
    const WeightView dev_w{g_self_test ? GgmlType::F32 : t, k, n, dw};
    for (int64_t m : ms) {
      const auto x = rand_vec(m * k);
      std::vector<float> want(m * n);
      cpu().matmul(nullptr, &ref_w, x.data(), m, want.data());
      float* dx = d.put(x);
      float* dy = d.zeros<float>(m * n);
      d.b->matmul(d.b->ctx, &dev_w, dx, m, dy);
      const double e = norm_err(want, d.get(dy, m * n));
      record("ops", std::string("matmul ") + type_name(t) + " k=512 n=200 m=" + std::to_string(m), e, e <= kContract);
    }
    // Embedding gather of the same table (ids repeat and come in any order).
    const std::vector<int32_t> ids = {7, 0, 199, 7, 42};
    std::vector<float> want(ids.size() * k);
    cpu().get_rows(nullptr, &ref_w, ids.data(), static_cast<int64_t>(ids.size()), want.data());
    float* dout = d.zeros<float>(want.size());
    d.b->get_rows(d.b->ctx, &dev_w, d.put(ids), static_cast<int64_t>(ids.size()), dout);
    const double e = norm_err(want, d.get(dout, want.size()));
    record("ops", std::string("get_rows ") + type_name(t), e, e <= kContract);
    d.clear();
  }
}

void check_elementwise(Dev& d) {
  const int64_t m = 37, n = 1000;
  const auto x = rand_vec(m * n, 3), r = rand_vec(m * n), w = rand_vec(n), b = rand_vec(n);
  {
    std::vector<float> want(m * n);
    cpu().rms_norm(nullptr, x.data(), w.data(), m, n, 1e-5f, want.data());
    float* dy = d.zeros<float>(m * n);
    d.b->rms_norm(d.b->ctx, d.put(x), d.put(w), m, n, 1e-5f, dy);
    const double e = norm_err(want, d.get(dy, m * n));
    record("ops", "rms_norm 37x1000", e, e <= kContract);
  }
  {
    auto xh = x;
    std::vector<float> want(m * n);
    cpu().add_rms_norm(nullptr, xh.data(), r.data(), w.data(), m, n, 1e-6f, want.data());
    float* dx = d.put(x);
    float* dr = d.put(r);
    d.b->add_rms_norm(d.b->ctx, dx, dr, d.put(w), m, n, 1e-6f, dr);  // y aliasing r, as the model does
    const double e = std::max(norm_err(want, d.get(dr, m * n)), norm_err(xh, d.get(dx, m * n)));
    record("ops", "add_rms_norm 37x1000 (residual kept, y aliases r)", e, e <= kContract);
  }
  {
    std::vector<float> want(m * n);
    cpu().silu_mul(nullptr, x.data(), r.data(), m * n, want.data());
    float* dg = d.put(x);
    d.b->silu_mul(d.b->ctx, dg, d.put(r), m * n, dg);
    const double e = norm_err(want, d.get(dg, m * n));
    record("ops", "silu_mul 37000", e, e <= kContract);
  }
  {
    auto xh = x;
    cpu().add_bias(nullptr, xh.data(), b.data(), m, n);
    float* dx = d.put(x);
    d.b->add_bias(d.b->ctx, dx, d.put(b), m, n);
    const double e = norm_err(xh, d.get(dx, m * n));
    record("ops", "add_bias 37x1000", e, e <= kContract);
  }
  {
    const std::vector<int32_t> idx = {36, 0, 5, 5, 12};
    std::vector<float> want(idx.size() * n);
    cpu().gather_rows(nullptr, x.data(), idx.data(), 5, n, want.data());
    float* dd = d.zeros<float>(want.size());
    d.b->gather_rows(d.b->ctx, d.put(x), d.put(idx), 5, n, dd);
    const double e = norm_err(want, d.get(dd, want.size()));
    record("ops", "gather_rows 5 of 37", e, e == 0);
  }
  d.clear();
}

/// A batch of sequences over a scrambled block table; `shared` makes every sequence's first block the
/// same physical block (a shared prefix).
struct TestBatch {
  std::vector<int32_t> positions, seq_starts, context_lens, block_tables, slots;
  int64_t max_blocks = 0;
  PagedBatch view(const int32_t* pos, const int32_t* starts, const int32_t* ctx, const int32_t* tables,
                  const int32_t* sl) const {
    return PagedBatch{static_cast<int64_t>(positions.size()), static_cast<int64_t>(context_lens.size()), pos, starts,
                      ctx, tables, max_blocks, sl};
  }
  PagedBatch host() const {
    return view(positions.data(), seq_starts.data(), context_lens.data(), block_tables.data(), slots.data());
  }
};

/// seqs: (context length, new tokens at its end) per sequence.
TestBatch make_batch(const std::vector<std::pair<int, int>>& seqs, int64_t block_size, int64_t num_blocks, bool shared) {
  TestBatch b;
  int64_t most = 0;
  for (auto [ctx, n] : seqs) most = std::max<int64_t>(most, (ctx + block_size - 1) / block_size);
  b.max_blocks = most;
  std::vector<int32_t> ids(num_blocks);
  std::iota(ids.begin(), ids.end(), 0);
  std::shuffle(ids.begin() + 1, ids.end(), g_rng);
  size_t next = 1;
  b.seq_starts.push_back(0);
  for (auto [ctx, n] : seqs) {
    const int64_t used = (ctx + block_size - 1) / block_size;
    for (int64_t j = 0; j < most; ++j) {
      int32_t id = -1;
      if (j < used) id = shared && j == 0 && ctx - n >= block_size ? ids[0] : ids[next++];
      b.block_tables.push_back(id);
    }
    const int32_t* table = b.block_tables.data() + b.block_tables.size() - most;
    for (int p = ctx - n; p < ctx; ++p) {
      b.positions.push_back(p);
      b.slots.push_back(table[p / block_size] * static_cast<int32_t>(block_size) + p % static_cast<int32_t>(block_size));
    }
    b.context_lens.push_back(ctx);
    b.seq_starts.push_back(static_cast<int32_t>(b.positions.size()));
  }
  return b;
}

void check_rope_attention(Dev& d, bool quick) {
  struct Case {
    int64_t hd, n_head, n_head_kv;
    bool neox, f16, yarn, freqs, shared;
    std::vector<std::pair<int, int>> seqs;
  };
  std::vector<Case> cases = {
      {64, 8, 8, false, false, false, false, false, {{1, 1}}},
      {64, 8, 2, false, false, false, false, false, {{40, 40}}},
      {128, 32, 8, true, false, false, false, false, {{300, 1}, {17, 17}, {64, 1}}},
      {80, 8, 1, true, true, false, false, false, {{100, 100}, {33, 3}}},
      {256, 8, 4, false, false, true, false, false, {{50, 50}}},
      {128, 16, 2, false, true, false, true, true, {{70, 6}, {70, 6}, {90, 1}}},
      {128, 32, 8, false, false, false, false, false, {{3000, 1}}},           // split-KV decode
      {128, 32, 8, false, true, false, false, true, {{2100, 1}, {2100, 1}}},  // split-KV, shared prefix
  };
  if (!quick) {
    std::vector<std::pair<int, int>> many;
    for (int i = 0; i < 8; ++i) many.push_back({64, 64});
    cases.push_back({64, 8, 8, true, false, false, false, false, many});  // 512 tokens
    std::vector<std::pair<int, int>> decodes;
    for (int i = 0; i < 128; ++i) decodes.push_back({20 + 7 * i, 1});
    cases.push_back({128, 32, 8, false, true, false, false, false, decodes});  // 128 decodes
  }
  for (const Case& c : cases) {
    const int64_t bs = 16;
    int64_t num_blocks = 1;
    for (auto [ctx, n] : c.seqs) num_blocks += (ctx + bs - 1) / bs;
    TestBatch tb = make_batch(c.seqs, bs, num_blocks, c.shared);
    const int64_t T = static_cast<int64_t>(tb.positions.size());
    BatchError berr;
    KvCacheView geo{nullptr, nullptr, num_blocks, bs, c.n_head_kv, c.hd, c.f16};
    if (!check_paged_batch(geo, tb.host(), &berr)) {
      record("ops", "attention batch (harness bug)", 1, false, berr.message);
      continue;
    }
    RopeParams rope{c.neox, static_cast<int>(c.hd), 10000.0f, c.yarn ? 0.25f : 1.0f, c.yarn ? 4096 : 0,
                    c.yarn ? 1.0f : 0.0f, 1.0f, 32.0f, 1.0f, nullptr};
    std::vector<float> freqs = rand_vec(c.hd / 2);
    for (auto& f : freqs) f = 1.0f + std::fabs(f) * 4;
    // The cache starts with random history (keys before the batch), identical on both sides.
    const int64_t cache_elems = num_blocks * bs * c.n_head_kv * c.hd;
    const size_t eb = c.f16 ? 2 : 4;
    std::vector<uint8_t> kc(cache_elems * eb), vc(cache_elems * eb);
    for (int64_t i = 0; i < cache_elems; ++i) {
      const float a = urand(), b = urand();
      if (c.f16) {
        const uint16_t ha = f32_to_fp16(a), hb = f32_to_fp16(b);
        std::memcpy(&kc[2 * i], &ha, 2);
        std::memcpy(&vc[2 * i], &hb, 2);
      } else {
        std::memcpy(&kc[4 * i], &a, 4);
        std::memcpy(&vc[4 * i], &b, 4);
      }
    }
    auto q = rand_vec(T * c.n_head * c.hd), k = rand_vec(T * c.n_head_kv * c.hd), v = rand_vec(T * c.n_head_kv * c.hd);
    float* dq = d.put(q);
    float* dk = d.put(k);
    float* dv = d.put(v);
    uint8_t* dkc = d.put(kc);
    uint8_t* dvc = d.put(vc);
    float* dfreqs = d.put(freqs);
    // CPU
    RopeParams rope_h = rope;
    rope_h.freq_factors = c.freqs ? freqs.data() : nullptr;
    KvCacheView hc{kc.data(), vc.data(), num_blocks, bs, c.n_head_kv, c.hd, c.f16};
    const PagedBatch hb = tb.host();
    cpu().rope_kv_write(nullptr, q.data(), k.data(), v.data(), hb.positions, T, c.n_head, &rope_h, &hc, hb.slot_mapping);
    std::vector<float> want(T * c.n_head * c.hd);
    const float scale = 1.0f / std::sqrt(static_cast<float>(c.hd));
    cpu().paged_attention(nullptr, &hc, &hb, q.data(), c.n_head, scale, want.data());
    // CUDA
    RopeParams rope_d = rope;
    rope_d.freq_factors = c.freqs ? dfreqs : nullptr;
    KvCacheView dc{dkc, dvc, num_blocks, bs, c.n_head_kv, c.hd, c.f16};
    const PagedBatch db = tb.view(d.put(tb.positions), d.put(tb.seq_starts), d.put(tb.context_lens),
                                  d.put(tb.block_tables), d.put(tb.slots));
    d.b->rope_kv_write(d.b->ctx, dq, dk, dv, db.positions, T, c.n_head, &rope_d, &dc, db.slot_mapping);
    float* dout = d.zeros<float>(want.size());
    d.b->paged_attention(d.b->ctx, &dc, &db, dq, c.n_head, scale, dout);
    const auto got = d.get(dout, want.size());
    const double e_rope = norm_err(q, d.get(dq, q.size()));
    // The cache as written: compare the slots this batch wrote (f16 rounding may differ by one ulp).
    std::vector<float> kw, kg;
    const auto kc_dev = d.get(dkc, kc.size());
    const int64_t row = c.n_head_kv * c.hd;
    for (int64_t t = 0; t < T; ++t)
      for (int64_t j = 0; j < row; ++j) {
        const int64_t i = tb.slots[t] * row + j;
        if (c.f16) {
          uint16_t a, b;
          std::memcpy(&a, &kc[2 * i], 2);
          std::memcpy(&b, &kc_dev[2 * i], 2);
          kw.push_back(fp16_to_f32(a));
          kg.push_back(fp16_to_f32(b));
        } else {
          float a, b;
          std::memcpy(&a, &kc[4 * i], 4);
          std::memcpy(&b, &kc_dev[4 * i], 4);
          kw.push_back(a);
          kg.push_back(b);
        }
      }
    const double e_kv = norm_err(kw, kg);
    const double e_attn = norm_err(want, got);
    char name[160];
    std::snprintf(name, sizeof name, "rope+kv+attention hd=%ld h=%ld/%ld T=%ld S=%zu%s%s%s%s%s", static_cast<long>(c.hd),
                  static_cast<long>(c.n_head), static_cast<long>(c.n_head_kv), static_cast<long>(T), c.seqs.size(),
                  c.neox ? " neox" : "", c.f16 ? " f16" : "", c.yarn ? " yarn" : "", c.freqs ? " freqs" : "",
                  c.shared ? " shared" : "");
    const double e = std::max({e_rope, e_kv, e_attn});
    record("ops", name, e, e <= kContract);
    d.clear();
  }
}

// ---- model ---------------------------------------------------------------------------------------

struct SynthModel {
  LlamaHyper hp;
  std::vector<std::vector<uint8_t>> store;  // keeps every tensor's bytes alive
  LlamaTensors typed, f32;                  // the same weights, as `type` and dequantized to F32
};

SynthModel make_model(const std::string& arch, GgmlType type, int64_t n_embd, int64_t n_layer, int64_t n_head,
                      int64_t n_head_kv, int64_t n_ff, int64_t n_vocab, int64_t num_blocks, bool with_f32 = true) {
  SynthModel m;
  LlamaHyper& hp = m.hp;
  hp.n_vocab = n_vocab;
  hp.n_embd = n_embd;
  hp.n_layer = n_layer;
  hp.n_head = n_head;
  hp.n_head_kv = n_head_kv;
  hp.head_dim = n_embd / n_head;
  hp.n_ff = n_ff;
  hp.norm_eps = 1e-5f;
  hp.rope = RopeParams{arch != "llama", static_cast<int>(hp.head_dim), 10000.0f, 1.0f, 0, 0.0f, 1.0f, 32.0f, 1.0f, nullptr};
  hp.block_size = 16;
  hp.num_blocks = num_blocks;
  m.store.reserve(16 + n_layer * 32);
  auto mat = [&](int64_t k, int64_t n, WeightView& typed, WeightView& f) {
    const float scale = 1.0f / std::sqrt(static_cast<float>(k)) * 1.7f;
    m.store.push_back(make_weight(type, k, n, scale));
    typed = WeightView{type, k, n, m.store.back().data()};
    if (!with_f32) return;
    m.store.push_back(to_f32(type, m.store.back(), k, n));
    f = WeightView{GgmlType::F32, k, n, m.store.back().data()};
  };
  auto vec = [&](int64_t n, float center, float spread) {
    std::vector<float> v(n);
    for (auto& x : v) x = center + urand() * spread;
    std::vector<uint8_t> bytes(sizeof(float) * n);
    std::memcpy(bytes.data(), v.data(), bytes.size());
    m.store.push_back(std::move(bytes));
    return reinterpret_cast<const float*>(m.store.back().data());
  };
  mat(n_embd, n_vocab, m.typed.tok_embd, m.f32.tok_embd);
  m.typed.output = m.typed.tok_embd;  // tied, as small models are
  m.f32.output = m.f32.tok_embd;
  m.typed.output_norm = m.f32.output_norm = vec(n_embd, 1.0f, 0.2f);
  const int64_t q_dim = n_head * hp.head_dim, kv_dim = n_head_kv * hp.head_dim;
  for (int64_t l = 0; l < n_layer; ++l) {
    LlamaLayer a, b;
    mat(n_embd, q_dim, a.wq, b.wq);
    mat(n_embd, kv_dim, a.wk, b.wk);
    mat(n_embd, kv_dim, a.wv, b.wv);
    mat(q_dim, n_embd, a.wo, b.wo);
    mat(n_embd, n_ff, a.ffn_gate, b.ffn_gate);
    mat(n_embd, n_ff, a.ffn_up, b.ffn_up);
    mat(n_ff, n_embd, a.ffn_down, b.ffn_down);
    a.attn_norm = b.attn_norm = vec(n_embd, 1.0f, 0.2f);
    a.ffn_norm = b.ffn_norm = vec(n_embd, 1.0f, 0.2f);
    if (arch == "qwen2") {
      a.bq = b.bq = vec(q_dim, 0.0f, 0.3f);
      a.bk = b.bk = vec(kv_dim, 0.0f, 0.3f);
      a.bv = b.bv = vec(kv_dim, 0.0f, 0.3f);
    }
    if (arch == "qwen3") {
      a.q_norm = b.q_norm = vec(hp.head_dim, 1.0f, 0.2f);
      a.k_norm = b.k_norm = vec(hp.head_dim, 1.0f, 0.2f);
    }
    m.typed.layers.push_back(a);
    m.f32.layers.push_back(b);
  }
  return m;
}

/// Greedy decoding of several sequences through one forward, with the engine's slot bookkeeping.
struct Decoder {
  LlamaForward& fwd;
  int64_t bs;
  int next_block = 0;
  struct Seq {
    std::vector<int32_t> tokens, blocks;
  };
  std::vector<Seq> seqs;
  Decoder(LlamaForward& f, int n_seqs) : fwd(f), bs(f.hyper().block_size), seqs(n_seqs) {}

  /// One step: each sequence in `which` appends `feed[i]` (all of them for a prefill); returns logits
  /// of every sequence's last token, [which.size()][n_vocab].
  std::vector<float> step(const std::vector<int>& which, const std::vector<std::vector<int32_t>>& feed) {
    std::vector<int32_t> tokens, positions, starts{0}, ctx, tables, slots, wanted;
    int64_t most = 0;
    for (size_t i = 0; i < which.size(); ++i) {
      Seq& s = seqs[which[i]];
      const int64_t len = static_cast<int64_t>(s.tokens.size() + feed[i].size());
      while (static_cast<int64_t>(s.blocks.size()) * bs < len) s.blocks.push_back(next_block++);
      most = std::max<int64_t>(most, static_cast<int64_t>(s.blocks.size()));
    }
    for (size_t i = 0; i < which.size(); ++i) {
      Seq& s = seqs[which[i]];
      for (int32_t t : feed[i]) {
        const int64_t p = static_cast<int64_t>(s.tokens.size());
        s.tokens.push_back(t);
        tokens.push_back(t);
        positions.push_back(static_cast<int32_t>(p));
        slots.push_back(static_cast<int32_t>(s.blocks[p / bs] * bs + p % bs));
      }
      wanted.push_back(static_cast<int32_t>(tokens.size() - 1));
      starts.push_back(static_cast<int32_t>(tokens.size()));
      ctx.push_back(static_cast<int32_t>(s.tokens.size()));
      for (int64_t j = 0; j < most; ++j) tables.push_back(j < static_cast<int64_t>(s.blocks.size()) ? s.blocks[j] : -1);
    }
    LlamaStep st{PagedBatch{static_cast<int64_t>(tokens.size()), static_cast<int64_t>(which.size()), positions.data(),
                            starts.data(), ctx.data(), tables.data(), most, slots.data()},
                 tokens.data(), wanted.data(), static_cast<int64_t>(wanted.size()), false};
    BatchError err;
    if (!check_paged_batch(fwd.cache_view(0), st.batch, &err)) throw std::runtime_error("harness batch: " + err.message);
    std::vector<float> out(fwd.output_size(st.n_logits, false));
    fwd.run(st, out.data());
    return out;
  }
};

int32_t argmax_row(const float* x, int64_t n) { return static_cast<int32_t>(std::max_element(x, x + n) - x); }

void check_models(const std::string& library, bool quick) {
  const std::vector<std::string> archs = {"llama", "qwen2", "qwen3"};
  const std::vector<GgmlType> types = quick ? std::vector<GgmlType>{GgmlType::F32, GgmlType::Q4_K}
                                            : std::vector<GgmlType>{GgmlType::F32, GgmlType::F16, GgmlType::Q8_0,
                                                                    GgmlType::Q4_K, GgmlType::Q6_K};
  for (const std::string& arch : archs)
    for (GgmlType t : types) {
      SynthModel m = make_model(arch, t, 256, 3, 8, arch == "llama" ? 8 : 2, 512, 512, 64);
      LlamaForward ref(m.hp, m.f32, BackendHandle(cpu_backend()));
      // In --self-test the CPU runs the F32 weights too (its quantized path rounds activations to 8 bits).
      LlamaForward gpu(m.hp, g_self_test ? m.f32 : m.typed, open_candidate(library));
      Decoder a(ref, 1), b(gpu, 1);
      std::vector<int32_t> prompt;
      for (int i = 0; i < 12; ++i) prompt.push_back(static_cast<int32_t>(g_rng() % m.hp.n_vocab));
      auto la = a.step({0}, {prompt});
      auto lb = b.step({0}, {prompt});
      double worst = norm_err(la, lb);
      int same = 0, steps = 24;
      for (int s = 0; s < steps; ++s) {
        const int32_t ta = argmax_row(la.data(), m.hp.n_vocab), tb = argmax_row(lb.data(), m.hp.n_vocab);
        if (ta == tb) ++same;
        la = a.step({0}, {{ta}});
        lb = b.step({0}, {{ta}});  // both follow the reference's token, so one flip does not cascade
        worst = std::max(worst, norm_err(la, lb));
      }
      char name[120];
      std::snprintf(name, sizeof name, "greedy %s %s: %d/%d tokens identical", arch.c_str(), type_name(t), same, steps);
      record("model", name, worst, same == steps && worst <= kContract);
    }
}

void check_batch_invariance(const std::string& library) {
  SynthModel m = make_model("llama", GgmlType::Q8_0, 256, 2, 8, 2, 512, 512, 128);
  auto open = [&] { return open_candidate(library); };
  const int n = 8;
  std::vector<std::vector<int32_t>> prompts(n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < 5 + 3 * i; ++j) prompts[i].push_back(static_cast<int32_t>(g_rng() % m.hp.n_vocab));
  // Alone: each sequence on its own forward.
  std::vector<std::vector<float>> alone(n);
  for (int i = 0; i < n; ++i) {
    LlamaForward f(m.hp, m.typed, open());
    Decoder d(f, 1);
    d.step({0}, {prompts[i]});
    alone[i] = d.step({0}, {{1}});
  }
  // Together: one prefill of all eight, then one batched decode step.
  LlamaForward f(m.hp, m.typed, open());
  Decoder d(f, n);
  std::vector<int> all(n);
  std::iota(all.begin(), all.end(), 0);
  d.step(all, prompts);
  const auto together = d.step(all, std::vector<std::vector<int32_t>>(n, {1}));
  double worst = 0, max_abs = 0;
  for (int i = 0; i < n; ++i) {
    std::vector<float> row(together.begin() + i * m.hp.n_vocab, together.begin() + (i + 1) * m.hp.n_vocab);
    worst = std::max(worst, norm_err(alone[i], row));
    for (int64_t j = 0; j < m.hp.n_vocab; ++j) max_abs = std::max(max_abs, std::fabs(static_cast<double>(alone[i][j]) - row[j]));
  }
  char note[80];
  std::snprintf(note, sizeof note, "(max |diff| %.2e; 0 = bitwise invariant)", max_abs);
  record("batch", "8 sequences alone vs in one batch (Q8_0, decode after prefill)", worst, worst <= kContract, note);
}

// ---- bench ---------------------------------------------------------------------------------------

std::string g_bench_json;

void bench(const std::string& library, double bandwidth_peak) {
  std::string code, msg;
  // Measured bandwidth: device-to-device copies of 1 GiB, bytes read + written per second.
  void* h = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  auto copy_bw = h ? reinterpret_cast<DteCudaCopyBandwidthFn>(dlsym(h, "dte_cuda_copy_bandwidth")) : nullptr;
  const double bw = copy_bw ? copy_bw(0, 1ull << 30, 10) : 0;
  std::printf("\n  bench: measured copy bandwidth %.0f GB/s (peak from clocks %.0f GB/s)\n", bw / 1e9,
              bandwidth_peak / 1e9);
  std::printf("  %-6s %10s %10s %10s %10s %12s %8s\n", "type", "b1 tok/s", "b8 tok/s", "b32 tok/s", "b128 tok/s",
              "pf2048 tok/s", "b1 %bw");
  std::string json = "{";
  bool first = true;
  for (GgmlType t : {GgmlType::F32, GgmlType::F16, GgmlType::Q8_0, GgmlType::Q4_K, GgmlType::Q6_K}) {
    // ~1.1B parameters: d=2048, 16 layers, ff 5632, vocab 32000, GQA 32/8.
    SynthModel m = make_model("llama", t, 2048, 16, 32, 8, 5632, 32000, 1200, false);
    BackendHandle be = open_backend("cuda", library, 0, &code, &msg);
    LlamaForward f(m.hp, m.typed, std::move(be));
    size_t weight_bytes = row_bytes(t, 2048) * 32000;
    for (const LlamaLayer& L : m.typed.layers)
      for (const WeightView* w : {&L.wq, &L.wk, &L.wv, &L.wo, &L.ffn_gate, &L.ffn_up, &L.ffn_down})
        weight_bytes += row_bytes(w->type, w->k) * w->n;
    auto decode_rate = [&](int batch) {
      Decoder d(f, batch);
      std::vector<int> all(batch);
      std::iota(all.begin(), all.end(), 0);
      d.step(all, std::vector<std::vector<int32_t>>(batch, std::vector<int32_t>(16, 1)));
      const int steps = 32;
      const auto t0 = std::chrono::steady_clock::now();
      for (int s = 0; s < steps; ++s) d.step(all, std::vector<std::vector<int32_t>>(batch, {2}));
      const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      return steps * batch / sec;
    };
    const double b1 = decode_rate(1), b8 = decode_rate(8), b32 = decode_rate(32), b128 = decode_rate(128);
    const std::vector<int32_t> prompt(2048, 3);
    Decoder pf(f, 1);
    const auto t0 = std::chrono::steady_clock::now();
    pf.step({0}, {prompt});
    const double pf_rate = 2048 / std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double pct = bw > 0 ? 100.0 * b1 * static_cast<double>(weight_bytes) / bw : 0;
    std::printf("  %-6s %10.1f %10.1f %10.1f %10.1f %12.1f %7.1f%%\n", type_name(t), b1, b8, b32, b128, pf_rate, pct);
    char j[320];
    std::snprintf(j, sizeof j,
                  "%s\"%s\":{\"decode_b1\":%.2f,\"decode_b8\":%.2f,\"decode_b32\":%.2f,\"decode_b128\":%.2f,"
                  "\"prefill_2048\":%.2f,\"pct_bandwidth_b1\":%.2f,\"weight_bytes\":%zu}",
                  first ? "" : ",", type_name(t), b1, b8, b32, b128, pf_rate, pct, weight_bytes);
    json += j;
    first = false;
  }
  char tail[96];
  std::snprintf(tail, sizeof tail, "},\"measured_bandwidth_gbs\":%.1f", bw / 1e9);
  g_bench_json = ",\"bench\":" + json + tail;
}

}  // namespace

int main(int argc, char** argv) {
  std::string library = "build/cuda/libdte_cuda.so";
  bool want_bench = false, quick = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--library" && i + 1 < argc) library = argv[++i];
    else if (a == "--bench") want_bench = true;
    else if (a == "--quick") quick = true;
    else if (a == "--self-test") g_self_test = true;
    else {
      std::fprintf(stderr, "usage: %s [--library PATH] [--bench] [--quick] [--self-test]\n", argv[0]);
      return 2;
    }
  }
  std::printf("dte CUDA parity (reference: the CPU kernels; contract: normalised error <= %.0e)\n", kContract);
  const bool host_ok = host_checks();
  CudaProbe probe = probe_cuda(library);
  if (g_self_test) {
    std::printf("  --self-test: the CPU backend stands in for CUDA\n");
    DteCudaDevice fake{};
    std::snprintf(fake.name, sizeof fake.name, "cpu (self-test)");
    probe.devices = {fake};
    probe.reason.clear();
  }
  std::string device = "none";
  int rc = 0;
  if (probe.devices.empty()) {
    std::printf("  no usable device: %s\n", probe.reason.c_str());
    rc = host_ok ? 77 : 1;
  } else {
    const DteCudaDevice& d0 = probe.devices[0];
    device = d0.name;
    std::printf("  device 0: %s (sm_%d%d, %d SMs, %.1f GiB)\n", d0.name, d0.major, d0.minor, d0.sm_count,
                d0.total_memory / 1073741824.0);
    try {
      BackendHandle be = open_candidate(library);
      Dev dev(be.get());
      check_matmul(dev, quick);
      check_elementwise(dev);
      check_rope_attention(dev, quick);
      dev.clear();
      check_models(library, quick);
      check_batch_invariance(library);
      if (want_bench && !g_self_test) bench(library, d0.peak_bandwidth);
    } catch (const std::exception& e) {
      record("error", e.what(), 1, false);
    }
  }
  int passed = 0, failed = 0;
  for (const Result& r : g_results) (r.ok ? passed : failed)++;
  if (rc == 0) rc = failed == 0 ? 0 : 1;
  std::printf("\n%d passed, %d failed%s\n", passed, failed, rc == 77 ? " (device checks skipped: no device)" : "");
  std::string esc;
  for (char ch : device + (probe.devices.empty() ? std::string(" (") + probe.reason + ")" : ""))
    esc += (ch == '"' || ch == '\\') ? std::string("\\") + ch : std::string(1, ch);
  std::printf("{\"device\":\"%s\",\"passed\":%d,\"failed\":%d,\"skipped_device\":%s%s}\n", esc.c_str(), passed, failed,
              rc == 77 ? "true" : "false", g_bench_json.c_str());
  return rc;
}
