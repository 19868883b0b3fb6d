// N-API functions for the CPU kernels (synchronous; each allocates its result):
//   matmul(type, weights: Uint8Array, k, n, x: Float32Array, m) -> Float32Array [m*n]
//   rmsNorm(x, w | null, m, n, eps) -> [m*n];  rope(x, pos: Int32Array, m, nHeads, headDim, params) -> copy of x rotated
//   siluMul(gate, up) -> [n];  addBias(x, b, m, n) -> [m*n];  getRows(type, table, k, nRows, ids: Int32Array) -> [ids.length*k]
//   softmax(x, m, n) -> [m*n];  argmax(x) -> number;  dequantize(type, data, nElements) -> Float32Array
//   quantizeRow(type, x: Float32Array) -> Uint8Array (every supported type; length % block == 0)
//   setNumThreads(n), getNumThreads(), cpuInfo(), setIsa('generic' | 'avx2'), memBandwidth(bytes, reps)
#include <napi.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "bindings/args.h"
#include "bindings/registry.h"
#include "core/cpu_features.h"
#include "core/fp16.h"
#include "core/thread_pool.h"
#include "kernels/cpu/matmul.h"
#include "kernels/cpu/ops.h"
#include "kernels/cpu/quants.h"

namespace dte {

namespace {

constexpr int64_t kMaxDim = int64_t{1} << 31;
// Largest element count of any input or result (products are checked in double before use).
constexpr double kMaxElements = 4294967296.0;

void check_product(const Napi::CallbackInfo& info, const char* usage, double a, double b, const char* what) {
  if (a * b > kMaxElements) args::fail(info.Env(), usage, std::string(what) + " is too large");
}

// Weights as the kernels want them: F32/F16/BF16 rows must be naturally aligned; a misaligned view is copied.
struct AlignedBytes {
  const uint8_t* data;
  std::vector<uint8_t> copy;
};

AlignedBytes aligned_view(GgmlType t, const uint8_t* p, size_t n) {
  const size_t align = t == GgmlType::F32 ? 4 : (t == GgmlType::F16 || t == GgmlType::BF16) ? 2 : 1;
  AlignedBytes a{p, {}};
  if (reinterpret_cast<uintptr_t>(p) % align != 0) {
    a.copy.assign(p, p + n);
    a.data = a.copy.data();
  }
  return a;
}

void check_row_multiple(const Napi::CallbackInfo& info, GgmlType t, int64_t k, const char* usage) {
  if (row_bytes(t, k) == 0) {
    args::fail(info.Env(), usage,
               std::string("k (") + std::to_string(k) + ") must be a multiple of " + std::to_string(block_size(t)) + " for " + type_name(t));
  }
}

Napi::Value Matmul(const Napi::CallbackInfo& info) {
  static const char* usage = "matmul(type, weights, k, n, x, m)";
  args::need(info, 6, usage);
  const GgmlType t = args::type(info, 0, usage);
  Napi::Uint8Array w = args::bytes(info, 1, usage);
  const int64_t k = args::integer(info, 2, usage, 1, kMaxDim);
  const int64_t n = args::integer(info, 3, usage, 1, kMaxDim);
  const int64_t m = args::integer(info, 5, usage, 1, kMaxDim);
  check_row_multiple(info, t, k, usage);
  check_product(info, usage, static_cast<double>(m), static_cast<double>(k), "m * k");
  check_product(info, usage, static_cast<double>(m), static_cast<double>(n), "m * n");
  check_product(info, usage, static_cast<double>(n), static_cast<double>(k), "n * k");
  const size_t need = row_bytes(t, k) * static_cast<size_t>(n);
  if (w.ByteLength() < need) {
    args::fail(info.Env(), usage, "weights has " + std::to_string(w.ByteLength()) + " bytes, n rows need " + std::to_string(need));
  }
  Napi::Float32Array x = args::f32(info, 4, usage, m * k);
  Napi::Float32Array y = Napi::Float32Array::New(info.Env(), static_cast<size_t>(m * n));
  AlignedBytes a = aligned_view(t, w.Data(), need);
  matmul(WeightView{t, k, n, a.data}, x.Data(), m, y.Data());
  return y;
}

Napi::Value RmsNorm(const Napi::CallbackInfo& info) {
  static const char* usage = "rmsNorm(x, w | null, m, n, eps)";
  args::need(info, 5, usage);
  const int64_t m = args::integer(info, 2, usage, 1, kMaxDim);
  const int64_t n = args::integer(info, 3, usage, 1, kMaxDim);
  const double eps = args::number(info, 4, usage);
  check_product(info, usage, static_cast<double>(m), static_cast<double>(n), "m * n");
  Napi::Float32Array x = args::f32(info, 0, usage, m * n);
  const float* w = nullptr;
  if (!info[1].IsNull() && !info[1].IsUndefined()) w = args::f32(info, 1, usage, n).Data();
  Napi::Float32Array y = Napi::Float32Array::New(info.Env(), static_cast<size_t>(m * n));
  rms_norm(x.Data(), w, m, n, static_cast<float>(eps), y.Data());
  return y;
}

float opt_number(const Napi::Object& o, const char* key, float fallback, const Napi::CallbackInfo& info, const char* usage) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsNumber()) args::fail(info.Env(), usage, std::string("params.") + key + " must be a number");
  return v.As<Napi::Number>().FloatValue();
}

Napi::Value Rope(const Napi::CallbackInfo& info) {
  static const char* usage = "rope(x, pos, m, nHeads, headDim, { nRot, freqBase, freqScale?, neox?, nCtxOrig?, extFactor?, attnFactor?, betaFast?, betaSlow?, freqFactors? })";
  args::need(info, 6, usage);
  const int64_t m = args::integer(info, 2, usage, 1, kMaxDim);
  const int64_t heads = args::integer(info, 3, usage, 1, kMaxDim);
  const int64_t head_dim = args::integer(info, 4, usage, 2, 1 << 20);
  check_product(info, usage, static_cast<double>(m) * static_cast<double>(heads), static_cast<double>(head_dim), "m * nHeads * headDim");
  Napi::Float32Array x = args::f32(info, 0, usage, m * heads * head_dim);
  Napi::Int32Array pos = args::i32(info, 1, usage, m);
  if (!info[5].IsObject()) args::fail(info.Env(), usage, "params must be an object");
  Napi::Object o = info[5].As<Napi::Object>();
  RopeParams p{};
  const float n_rot = opt_number(o, "nRot", static_cast<float>(head_dim), info, usage);
  if (n_rot < 2 || n_rot > head_dim || static_cast<int>(n_rot) % 2 != 0) args::fail(info.Env(), usage, "params.nRot must be even and in [2, headDim]");
  p.n_rot = static_cast<int>(n_rot);
  p.freq_base = opt_number(o, "freqBase", 10000.0f, info, usage);
  p.freq_scale = opt_number(o, "freqScale", 1.0f, info, usage);
  if (!(p.freq_base > 0.0f) || !(p.freq_scale > 0.0f)) args::fail(info.Env(), usage, "params.freqBase and freqScale must be > 0");
  Napi::Value neox = o.Get("neox");
  p.neox = neox.IsBoolean() && neox.As<Napi::Boolean>().Value();
  p.n_ctx_orig = static_cast<int>(opt_number(o, "nCtxOrig", 0.0f, info, usage));
  p.ext_factor = opt_number(o, "extFactor", 0.0f, info, usage);
  p.attn_factor = opt_number(o, "attnFactor", 1.0f, info, usage);
  p.beta_fast = opt_number(o, "betaFast", 32.0f, info, usage);
  p.beta_slow = opt_number(o, "betaSlow", 1.0f, info, usage);
  if (p.ext_factor != 0.0f && p.n_ctx_orig <= 0) args::fail(info.Env(), usage, "params.nCtxOrig must be > 0 with extFactor");
  Napi::Value ff = o.Get("freqFactors");
  if (!ff.IsUndefined()) {
    if (!ff.IsTypedArray() || ff.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array ||
        ff.As<Napi::Float32Array>().ElementLength() != static_cast<size_t>(p.n_rot / 2))
      args::fail(info.Env(), usage, "params.freqFactors must be a Float32Array of nRot / 2 values");
    Napi::Float32Array f = ff.As<Napi::Float32Array>();
    for (size_t i = 0; i < f.ElementLength(); ++i)
      if (!(f[i] > 0.0f) || !std::isfinite(f[i])) args::fail(info.Env(), usage, "params.freqFactors must be finite and > 0");
    p.freq_factors = f.Data();
  }
  const size_t len = static_cast<size_t>(m * heads * head_dim);
  Napi::Float32Array y = Napi::Float32Array::New(info.Env(), len);
  std::memcpy(y.Data(), x.Data(), len * sizeof(float));
  rope(y.Data(), pos.Data(), m, heads, head_dim, p);
  return y;
}

Napi::Value SiluMul(const Napi::CallbackInfo& info) {
  static const char* usage = "siluMul(gate, up)";
  args::need(info, 2, usage);
  Napi::Float32Array g = args::f32(info, 0, usage, 0);
  Napi::Float32Array u = args::f32(info, 1, usage, static_cast<int64_t>(g.ElementLength()));
  Napi::Float32Array y = Napi::Float32Array::New(info.Env(), g.ElementLength());
  silu_mul(g.Data(), u.Data(), static_cast<int64_t>(g.ElementLength()), y.Data());
  return y;
}

Napi::Value AddBias(const Napi::CallbackInfo& info) {
  static const char* usage = "addBias(x, b, m, n)";
  args::need(info, 4, usage);
  const int64_t m = args::integer(info, 2, usage, 1, kMaxDim);
  const int64_t n = args::integer(info, 3, usage, 1, kMaxDim);
  check_product(info, usage, static_cast<double>(m), static_cast<double>(n), "m * n");
  Napi::Float32Array x = args::f32(info, 0, usage, m * n);
  Napi::Float32Array b = args::f32(info, 1, usage, n);
  Napi::Float32Array y = Napi::Float32Array::New(info.Env(), static_cast<size_t>(m * n));
  std::memcpy(y.Data(), x.Data(), static_cast<size_t>(m * n) * sizeof(float));
  add_bias(y.Data(), b.Data(), m, n);
  return y;
}

Napi::Value GetRows(const Napi::CallbackInfo& info) {
  static const char* usage = "getRows(type, table, k, nRows, ids)";
  args::need(info, 5, usage);
  const GgmlType t = args::type(info, 0, usage);
  Napi::Uint8Array table = args::bytes(info, 1, usage);
  const int64_t k = args::integer(info, 2, usage, 1, kMaxDim);
  const int64_t rows = args::integer(info, 3, usage, 1, kMaxDim);
  check_row_multiple(info, t, k, usage);
  const size_t need = row_bytes(t, k) * static_cast<size_t>(rows);
  if (table.ByteLength() < need) args::fail(info.Env(), usage, "table is smaller than nRows rows");
  check_product(info, usage, static_cast<double>(rows), static_cast<double>(k), "nRows * k");
  Napi::Int32Array ids = args::i32(info, 4, usage, 0);
  const int64_t m = static_cast<int64_t>(ids.ElementLength());
  check_product(info, usage, static_cast<double>(m), static_cast<double>(k), "ids.length * k");
  for (int64_t i = 0; i < m; ++i) {
    const int32_t id = ids.Data()[i];
    if (id < 0 || id >= rows) args::fail(info.Env(), usage, "id " + std::to_string(id) + " out of range");
  }
  Napi::Float32Array y = Napi::Float32Array::New(info.Env(), static_cast<size_t>(m * k));
  AlignedBytes a = aligned_view(t, table.Data(), need);
  get_rows(WeightView{t, k, rows, a.data}, ids.Data(), m, y.Data());
  return y;
}

Napi::Value Softmax(const Napi::CallbackInfo& info) {
  static const char* usage = "softmax(x, m, n)";
  args::need(info, 3, usage);
  const int64_t m = args::integer(info, 1, usage, 1, kMaxDim);
  const int64_t n = args::integer(info, 2, usage, 1, kMaxDim);
  check_product(info, usage, static_cast<double>(m), static_cast<double>(n), "m * n");
  Napi::Float32Array x = args::f32(info, 0, usage, m * n);
  Napi::Float32Array y = Napi::Float32Array::New(info.Env(), static_cast<size_t>(m * n));
  std::memcpy(y.Data(), x.Data(), static_cast<size_t>(m * n) * sizeof(float));
  softmax(y.Data(), m, n);
  return y;
}

Napi::Value Argmax(const Napi::CallbackInfo& info) {
  static const char* usage = "argmax(x)";
  args::need(info, 1, usage);
  Napi::Float32Array x = args::f32(info, 0, usage, 1);
  return Napi::Number::New(info.Env(), static_cast<double>(argmax(x.Data(), static_cast<int64_t>(x.ElementLength()))));
}

Napi::Value Dequantize(const Napi::CallbackInfo& info) {
  static const char* usage = "dequantize(type, data, nElements)";
  args::need(info, 3, usage);
  const GgmlType t = args::type(info, 0, usage);
  Napi::Uint8Array data = args::bytes(info, 1, usage);
  const int64_t ne = args::integer(info, 2, usage, 0, kMaxDim);
  if (ne > 0) check_row_multiple(info, t, ne, usage);
  const size_t need = row_bytes(t, ne);
  if (data.ByteLength() < need) args::fail(info.Env(), usage, "data has fewer bytes than nElements need");
  Napi::Float32Array y = Napi::Float32Array::New(info.Env(), static_cast<size_t>(ne));
  AlignedBytes a = aligned_view(t, data.Data(), need);
  if (ne > 0) dequantize_row(t, a.data, ne, y.Data());
  return y;
}

Napi::Value QuantizeRow(const Napi::CallbackInfo& info) {
  static const char* usage = "quantizeRow(type, x)";
  args::need(info, 2, usage);
  const GgmlType t = args::type(info, 0, usage);
  Napi::Float32Array x = args::f32(info, 1, usage, 0);
  const int64_t k = static_cast<int64_t>(x.ElementLength());
  check_row_multiple(info, t, k, usage);
  Napi::Uint8Array out = Napi::Uint8Array::New(info.Env(), row_bytes(t, k));
  uint8_t* o = out.Data();
  const float* v = x.Data();
  switch (t) {
    case GgmlType::F32: std::memcpy(o, v, static_cast<size_t>(k) * 4); break;
    case GgmlType::F16:
      for (int64_t i = 0; i < k; ++i) {
        const uint16_t h = f32_to_fp16(v[i]);
        std::memcpy(o + 2 * i, &h, 2);
      }
      break;
    case GgmlType::BF16:
      for (int64_t i = 0; i < k; ++i) {
        const uint16_t h = f32_to_bf16(v[i]);
        std::memcpy(o + 2 * i, &h, 2);
      }
      break;
    case GgmlType::Q8_0: quantize_row_q8_0(v, reinterpret_cast<block_q8_0*>(o), k); break;
    case GgmlType::Q4_0: quantize_row_q4_0(v, reinterpret_cast<block_q4_0*>(o), k); break;
    case GgmlType::Q4_K: quantize_row_q4_K(v, reinterpret_cast<block_q4_K*>(o), k); break;
    case GgmlType::Q6_K: quantize_row_q6_K(v, reinterpret_cast<block_q6_K*>(o), k); break;
  }
  return out;
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  static const char* usage = "setNumThreads(n)";
  args::need(info, 1, usage);
  set_num_threads(static_cast<int>(args::integer(info, 0, usage, 1, 256)));
  return Napi::Number::New(info.Env(), num_threads());
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), num_threads()); }

Napi::Value CpuInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const CpuFeatures& f = cpu_features();
  Napi::Object o = Napi::Object::New(env);
  o.Set("isa", isa_name(active_isa()));
  Napi::Array avail = Napi::Array::New(env);
  avail.Set(uint32_t{0}, "generic");
  if (isa_available(Isa::Avx2)) avail.Set(uint32_t{1}, "avx2");
  if (isa_available(Isa::Amx)) avail.Set(uint32_t{2}, "amx");
  o.Set("available", avail);
  Napi::Object feats = Napi::Object::New(env);
  feats.Set("avx", f.avx);
  feats.Set("avx2", f.avx2);
  feats.Set("fma", f.fma);
  feats.Set("f16c", f.f16c);
  feats.Set("avx512f", f.avx512f);
  feats.Set("avx512bw", f.avx512bw);
  feats.Set("avx512vl", f.avx512vl);
  feats.Set("amxInt8", f.amx_int8);
  feats.Set("amxOs", f.amx_os);
  o.Set("features", feats);
  o.Set("threads", num_threads());
  o.Set("hardwareThreads", static_cast<double>(std::thread::hardware_concurrency()));
  return o;
}

Napi::Value SetIsa(const Napi::CallbackInfo& info) {
  static const char* usage = "setIsa('generic' | 'avx2' | 'amx')";
  args::need(info, 1, usage);
  if (!info[0].IsString()) args::fail(info.Env(), usage, "isa must be a string");
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  Isa isa;
  if (name == "generic") isa = Isa::Generic;
  else if (name == "avx2") isa = Isa::Avx2;
  else if (name == "amx") isa = Isa::Amx;
  else args::fail(info.Env(), usage, "unknown isa '" + name + "'");
  if (!set_isa(isa)) {
    Napi::Error err = Napi::Error::New(info.Env(), "ISA '" + name + "' is not supported by this CPU");
    err.Set("code", Napi::String::New(info.Env(), "DTE_ERR_NATIVE_ISA_UNAVAILABLE"));
    throw err;
  }
  return Napi::String::New(info.Env(), isa_name(active_isa()));
}

// Streams a buffer of `bytes` (read only, summed so the loads cannot be elided) `reps` times with every
// pool thread; returns { gbPerSec, bytes, seconds, threads }.
Napi::Value MemBandwidth(const Napi::CallbackInfo& info) {
  static const char* usage = "memBandwidth(bytes, reps)";
  args::need(info, 2, usage);
  const int64_t bytes = args::integer(info, 0, usage, 1 << 20, int64_t{1} << 34);
  const int64_t reps = args::integer(info, 1, usage, 1, 1000);
  const int64_t words = bytes / 8;
  std::vector<uint64_t> buf(static_cast<size_t>(words));
  ThreadPool& pool = global_pool();
  pool.parallel_for(words, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) buf[static_cast<size_t>(i)] = static_cast<uint64_t>(i);
  });
  const int threads = pool.size();
  std::vector<uint64_t> sums(static_cast<size_t>(threads) * 8, 0);
  const uint64_t* p = buf.data();
  const auto t0 = std::chrono::steady_clock::now();
  for (int64_t r = 0; r < reps; ++r) {
    pool.parallel_for(threads, [&](int64_t tb, int64_t te) {
      for (int64_t t = tb; t < te; ++t) {
        const int64_t b = words * t / threads;
        const int64_t e = words * (t + 1) / threads;
        uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int64_t i = b;
        for (; i + 4 <= e; i += 4) {
          s0 += p[i];
          s1 += p[i + 1];
          s2 += p[i + 2];
          s3 += p[i + 3];
        }
        for (; i < e; ++i) s0 += p[i];
        sums[static_cast<size_t>(t) * 8] += s0 + s1 + s2 + s3;
      }
    });
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  uint64_t check = 0;
  for (uint64_t s : sums) check += s;
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("gbPerSec", static_cast<double>(words * 8) * static_cast<double>(reps) / secs / 1e9);
  o.Set("bytes", static_cast<double>(words * 8));
  o.Set("seconds", secs);
  o.Set("threads", threads);
  o.Set("checksum", static_cast<double>(check & 0xFFFFFFu));
  return o;
}

void init_kernels(Napi::Env env, Napi::Object exports) {
  exports.Set("matmul", Napi::Function::New(env, Matmul, "matmul"));
  exports.Set("rmsNorm", Napi::Function::New(env, RmsNorm, "rmsNorm"));
  exports.Set("rope", Napi::Function::New(env, Rope, "rope"));
  exports.Set("siluMul", Napi::Function::New(env, SiluMul, "siluMul"));
  exports.Set("addBias", Napi::Function::New(env, AddBias, "addBias"));
  exports.Set("getRows", Napi::Function::New(env, GetRows, "getRows"));
  exports.Set("softmax", Napi::Function::New(env, Softmax, "softmax"));
  exports.Set("argmax", Napi::Function::New(env, Argmax, "argmax"));
  exports.Set("dequantize", Napi::Function::New(env, Dequantize, "dequantize"));
  exports.Set("quantizeRow", Napi::Function::New(env, QuantizeRow, "quantizeRow"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads, "getNumThreads"));
  exports.Set("cpuInfo", Napi::Function::New(env, CpuInfo, "cpuInfo"));
  exports.Set("setIsa", Napi::Function::New(env, SetIsa, "setIsa"));
  exports.Set("memBandwidth", Napi::Function::New(env, MemBandwidth, "memBandwidth"));
}

const BindingRegistrar kRegistrar(&init_kernels);

}  // namespace

}  // namespace dte
