#include "model/llama_weights_reader.h"

#include <cmath>

#include "bindings/args.h"
#include "kernels/cpu/ops.h"

namespace dte {

namespace {
constexpr const char* kConfig = "DTE_ERR_NATIVE_MODEL_CONFIG";
constexpr const char* kWeight = "DTE_ERR_NATIVE_MODEL_WEIGHT";
constexpr int64_t kMaxDim = 1 << 24;
}  // namespace

Napi::Uint8Array WeightStore::weight_bytes(Napi::Object weights, const std::string& where, int32_t* type,
                                              std::vector<int64_t>* dims) {
  Napi::Env env = weights.Env();
  *type = static_cast<int32_t>(args::get_int(weights, "type", 0, 1023, kWeight, where));
  if (!is_supported(static_cast<GgmlType>(*type)))
    args::throw_coded(env, kWeight, where + ".type " + std::to_string(*type) + " is not a supported ggml type");
  Napi::Value d = weights.Get("dims");
  if (!d.IsArray()) args::throw_coded(env, kWeight, where + ".dims must be an array");
  Napi::Array arr = d.As<Napi::Array>();
  if (arr.Length() < 1 || arr.Length() > 4) args::throw_coded(env, kWeight, where + ".dims must have 1..4 entries");
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    Napi::Value x = arr.Get(i);
    const double v = x.IsNumber() ? x.As<Napi::Number>().DoubleValue() : -1;
    if (!(v >= 1 && v <= static_cast<double>(kMaxDim) * 64 && std::floor(v) == v))
      args::throw_coded(env, kWeight, where + ".dims[" + std::to_string(i) + "] must be a positive integer");
    dims->push_back(static_cast<int64_t>(v));
  }
  Napi::Value data = weights.Get("data");
  if (!data.IsTypedArray() || data.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    args::throw_coded(env, kWeight, where + ".data must be a Uint8Array");
  Napi::Uint8Array bytes = data.As<Napi::Uint8Array>();
  refs_.push_back(Napi::Persistent(bytes));
  return bytes;
}

WeightView WeightStore::matrix(Napi::Object weights, const char* key, int64_t k, int64_t n,
                                  const std::string& where, bool optional) {
  Napi::Env env = weights.Env();
  const std::string name = where + "." + key;
  Napi::Value v = weights.Get(key);
  if (optional && v.IsUndefined()) return WeightView{GgmlType::F32, 0, 0, nullptr};
  if (!v.IsObject()) args::throw_coded(env, kWeight, name + " must be a weight object");
  int32_t type = 0;
  std::vector<int64_t> dims;
  Napi::Uint8Array bytes = weight_bytes(v.As<Napi::Object>(), name, &type, &dims);
  bool ok = dims.size() >= 2 && dims[0] == k && dims[1] == n;
  for (size_t i = 2; i < dims.size(); ++i) ok = ok && dims[i] == 1;
  if (!ok)
    args::throw_coded(env, kWeight, name + ".dims must be [" + std::to_string(k) + ", " + std::to_string(n) + "]");
  const size_t row = row_bytes(static_cast<GgmlType>(type), k);
  if (row == 0) args::throw_coded(env, kWeight, name + ": row length " + std::to_string(k) + " invalid for its type");
  if (bytes.ByteLength() != row * static_cast<size_t>(n))
    args::throw_coded(env, kWeight,
                    name + ".data has " + std::to_string(bytes.ByteLength()) + " bytes, expected " +
                        std::to_string(row * static_cast<size_t>(n)));
  return WeightView{static_cast<GgmlType>(type), k, n, bytes.Data()};
}

const float* WeightStore::vector(Napi::Object weights, const char* key, int64_t n, const std::string& where,
                                    bool optional) {
  Napi::Env env = weights.Env();
  const std::string name = where + "." + key;
  Napi::Value v = weights.Get(key);
  if (optional && v.IsUndefined()) return nullptr;
  if (!v.IsObject()) args::throw_coded(env, kWeight, name + " must be a weight object");
  int32_t type = 0;
  std::vector<int64_t> dims;
  Napi::Uint8Array bytes = weight_bytes(v.As<Napi::Object>(), name, &type, &dims);
  bool ok = dims[0] == n;
  for (size_t i = 1; i < dims.size(); ++i) ok = ok && dims[i] == 1;
  if (!ok) args::throw_coded(env, kWeight, name + ".dims must be [" + std::to_string(n) + "]");
  const GgmlType t = static_cast<GgmlType>(type);
  const size_t row = row_bytes(t, n);
  if (row == 0 || bytes.ByteLength() != row)
    args::throw_coded(env, kWeight, name + ".data has the wrong byte length for its type and dims");
  const bool aligned = reinterpret_cast<uintptr_t>(bytes.Data()) % alignof(float) == 0;
  if (t == GgmlType::F32 && aligned) return reinterpret_cast<const float*>(bytes.Data());
  owned_.emplace_back(static_cast<size_t>(n));
  dequantize_row(t, bytes.Data(), n, owned_.back().data());
  return owned_.back().data();
}

LlamaHyper read_llama_config(Napi::Object c) {
  Napi::Env env = c.Env();
  const std::string w = "config";
  const std::string arch = args::get_string(c, "arch", kConfig, w);
  if (arch != "llama" && arch != "mistral" && arch != "qwen2" && arch != "qwen3")
    args::throw_coded(env, kConfig, "config.arch '" + arch + "' is not llama, mistral, qwen2 or qwen3");
  LlamaHyper hp{};
  hp.n_vocab = args::get_int(c, "nVocab", 1, kMaxDim, kConfig, w);
  hp.n_embd = args::get_int(c, "nEmbd", 1, kMaxDim, kConfig, w);
  hp.n_layer = args::get_int(c, "nLayer", 1, 4096, kConfig, w);
  hp.n_head = args::get_int(c, "nHead", 1, 4096, kConfig, w);
  hp.n_head_kv = args::get_int(c, "nHeadKv", 1, 4096, kConfig, w);
  hp.head_dim = args::get_int(c, "headDim", 1, 4096, kConfig, w);
  hp.n_ff = args::get_int(c, "nFf", 1, kMaxDim, kConfig, w);
  const double eps = args::get_number(c, "normEps", kConfig, w);
  if (!(eps > 0 && eps < 1)) args::throw_coded(env, kConfig, "config.normEps must be in (0, 1)");
  hp.norm_eps = static_cast<float>(eps);
  if (hp.n_head % hp.n_head_kv != 0) args::throw_coded(env, kConfig, "config.nHead must be a multiple of nHeadKv");
  if (hp.head_dim % 2 != 0) args::throw_coded(env, kConfig, "config.headDim must be even (RoPE pairs)");
  hp.block_size = args::get_int(c, "blockSize", 1, 1 << 16, kConfig, w);
  hp.num_blocks = args::get_int(c, "numBlocks", 1, 1LL << 31, kConfig, w);
  if (hp.block_size * hp.num_blocks > 2147483647LL)
    args::throw_coded(env, kConfig, "config.numBlocks * blockSize must fit in an int32 slot index");

  Napi::Value kv_type = c.Get("kvCacheType");
  if (!kv_type.IsUndefined()) {
    const std::string t = kv_type.IsString() ? kv_type.As<Napi::String>().Utf8Value() : "";
    if (t != "f32" && t != "f16") args::throw_coded(env, kConfig, "config.kvCacheType must be 'f32' or 'f16'");
    hp.kv_f16 = t == "f16";
  }

  RopeParams& r = hp.rope;
  const double base = args::get_number(c, "ropeFreqBase", kConfig, w);
  if (!(base > 0)) args::throw_coded(env, kConfig, "config.ropeFreqBase must be > 0");
  Napi::Value neox = c.Get("ropeNeox");
  if (!neox.IsBoolean()) args::throw_coded(env, kConfig, "config.ropeNeox must be a boolean");
  r.neox = neox.As<Napi::Boolean>().Value();
  r.n_rot = static_cast<int>(hp.head_dim);
  r.freq_base = static_cast<float>(base);
  r.freq_scale = 1.0f;
  r.n_ctx_orig = 0;
  r.ext_factor = 0.0f;
  r.attn_factor = 1.0f;
  r.beta_fast = 32.0f;
  r.beta_slow = 1.0f;
  Napi::Object s = args::get_object(c, "ropeScaling", kConfig, w);
  const std::string ws = "config.ropeScaling";
  const std::string type = args::get_string(s, "type", kConfig, ws);
  if (type != "none" && type != "linear" && type != "yarn")
    args::throw_coded(env, kConfig, "config.ropeScaling.type must be none, linear or yarn");
  const double factor = args::get_number(s, "factor", kConfig, ws, true, 1.0);
  r.n_ctx_orig = static_cast<int>(args::get_int(s, "origCtx", 0, 1LL << 30, kConfig, ws));
  if (type != "none") {
    if (!(factor > 0)) args::throw_coded(env, kConfig, "config.ropeScaling.factor must be > 0");
    r.freq_scale = static_cast<float>(1.0 / factor);
  }
  if (type == "yarn") {
    // llama.cpp: a negative (unset) ext factor means 1 for YaRN.
    const double ext = args::get_number(s, "extFactor", kConfig, ws, true, -1.0);
    r.ext_factor = ext < 0 ? 1.0f : static_cast<float>(ext);
    r.attn_factor = static_cast<float>(args::get_number(s, "attnFactor", kConfig, ws, true, 1.0));
    r.beta_fast = static_cast<float>(args::get_number(s, "betaFast", kConfig, ws, true, 32.0));
    r.beta_slow = static_cast<float>(args::get_number(s, "betaSlow", kConfig, ws, true, 1.0));
  }
  return hp;
}

LlamaTensors read_llama_weights(Napi::Object w, const LlamaHyper& hp, WeightStore& store) {
  Napi::Env env = w.Env();
  const int64_t q_dim = hp.n_head * hp.head_dim;
  const int64_t kv_dim = hp.n_head_kv * hp.head_dim;
  LlamaTensors t;
  t.tok_embd = store.matrix(w, "tokenEmbd", hp.n_embd, hp.n_vocab, "weights");
  t.output_norm = store.vector(w, "outputNorm", hp.n_embd, "weights");
  t.output = store.matrix(w, "output", hp.n_embd, hp.n_vocab, "weights", true);
  if (t.output.data == nullptr) t.output = t.tok_embd;
  t.rope_freqs = store.vector(w, "ropeFreqs", hp.head_dim / 2, "weights", true);
  if (t.rope_freqs != nullptr)
    for (int64_t i = 0; i < hp.head_dim / 2; ++i)
      if (!(t.rope_freqs[i] > 0.0f) || !std::isfinite(t.rope_freqs[i]))
        args::throw_coded(env, kWeight, "weights.ropeFreqs must be finite and > 0");
  Napi::Value layers = w.Get("layers");
  if (!layers.IsArray() || layers.As<Napi::Array>().Length() != static_cast<uint32_t>(hp.n_layer))
    args::throw_coded(env, kWeight, "weights.layers must be an array of config.nLayer layers");
  Napi::Array arr = layers.As<Napi::Array>();
  for (int64_t i = 0; i < hp.n_layer; ++i) {
    const std::string where = "weights.layers[" + std::to_string(i) + "]";
    Napi::Value lv = arr.Get(static_cast<uint32_t>(i));
    if (!lv.IsObject()) args::throw_coded(env, kWeight, where + " must be an object");
    Napi::Object l = lv.As<Napi::Object>();
    LlamaLayer L;
    L.attn_norm = store.vector(l, "attnNorm", hp.n_embd, where);
    L.wq = store.matrix(l, "wq", hp.n_embd, q_dim, where);
    L.wk = store.matrix(l, "wk", hp.n_embd, kv_dim, where);
    L.wv = store.matrix(l, "wv", hp.n_embd, kv_dim, where);
    L.wo = store.matrix(l, "wo", q_dim, hp.n_embd, where);
    L.bq = store.vector(l, "bq", q_dim, where, true);
    L.bk = store.vector(l, "bk", kv_dim, where, true);
    L.bv = store.vector(l, "bv", kv_dim, where, true);
    L.q_norm = store.vector(l, "qNorm", hp.head_dim, where, true);
    L.k_norm = store.vector(l, "kNorm", hp.head_dim, where, true);
    L.ffn_norm = store.vector(l, "ffnNorm", hp.n_embd, where);
    L.ffn_gate = store.matrix(l, "ffnGate", hp.n_embd, hp.n_ff, where);
    L.ffn_up = store.matrix(l, "ffnUp", hp.n_embd, hp.n_ff, where);
    L.ffn_down = store.matrix(l, "ffnDown", hp.n_ff, hp.n_embd, where);
    t.layers.push_back(L);
  }  return t;
}

}  // namespace dte
