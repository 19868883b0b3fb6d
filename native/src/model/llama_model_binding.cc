// LlamaModel (napi ObjectWrap) over LlamaForward, and the bare pagedAttention kernel for tests.
// forward(batch) copies the batch, then runs on a libuv worker thread (which drives the global pool);
// forwards of one model run one at a time in call order (a FIFO of queued workers).
#include "model/llama_model_binding.h"

#include <atomic>
#include <cmath>
#include <deque>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "bindings/registry.h"
#include "core/ggml_types.h"
#include "kernels/cpu/attention.h"
#include "kernels/cpu/ops.h"
#include "model/forward_batch.h"
#include "model/js_args.h"
#include "model/llama_model.h"

namespace dte {

namespace {

constexpr const char* kConfig = "DTE_ERR_NATIVE_MODEL_CONFIG";
constexpr const char* kWeight = "DTE_ERR_NATIVE_MODEL_WEIGHT";
constexpr const char* kDisposed = "DTE_ERR_NATIVE_MODEL_DISPOSED";
constexpr const char* kBusy = "DTE_ERR_NATIVE_MODEL_BUSY";
constexpr const char* kOom = "DTE_ERR_NATIVE_OUT_OF_MEMORY";
constexpr const char* kFailed = "DTE_ERR_NATIVE_FORWARD_FAILED";
constexpr int64_t kMaxDim = 1 << 24;

class LlamaModelWrap;

class ForwardWorker : public Napi::AsyncWorker {
 public:
  ForwardWorker(Napi::Env env, LlamaModelWrap* model, ForwardBatchCopy batch, Napi::Float32Array out);
  Napi::Promise promise() const { return deferred_.Promise(); }
  void cancel() { cancelled_ = true; }

 protected:
  void Execute() override;
  void OnOK() override;
  void OnError(const Napi::Error& e) override;

 private:
  LlamaModelWrap* model_;
  Napi::ObjectReference model_ref_;
  Napi::Reference<Napi::Float32Array> out_ref_;
  float* out_;
  ForwardBatchCopy batch_;
  Napi::Promise::Deferred deferred_;
  std::string code_ = kFailed;
  bool cancelled_ = false;
};

class LlamaModelWrap : public Napi::ObjectWrap<LlamaModelWrap> {
 public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(env, "LlamaModel",
                       {InstanceMethod("forward", &LlamaModelWrap::forward),
                        InstanceMethod("forwardSync", &LlamaModelWrap::forward_sync),
                        InstanceMethod("dispose", &LlamaModelWrap::dispose),
                        InstanceAccessor("kvCacheBytes", &LlamaModelWrap::kv_cache_bytes, nullptr)});
  }

  explicit LlamaModelWrap(const Napi::CallbackInfo& info);

  LlamaForward* core() { return fwd_.get(); }
  /// Called on the JS thread when a queued forward has settled: starts the next one.
  void on_done();

 private:
  Napi::Value forward(const Napi::CallbackInfo& info);
  Napi::Value forward_sync(const Napi::CallbackInfo& info);
  Napi::Value dispose(const Napi::CallbackInfo& info);
  Napi::Value kv_cache_bytes(const Napi::CallbackInfo& info);

  ForwardBatchCopy read_batch(const Napi::CallbackInfo& info);
  void release();
  WeightView matrix(Napi::Object weights, const char* key, int64_t k, int64_t n, const std::string& where,
                    bool optional = false);
  const float* vector(Napi::Object weights, const char* key, int64_t n, const std::string& where,
                      bool optional = false);
  Napi::Uint8Array weight_bytes(Napi::Object w, const std::string& where, int32_t* type, std::vector<int64_t>* dims);

  std::unique_ptr<LlamaForward> fwd_;
  std::vector<Napi::Reference<Napi::Uint8Array>> weight_refs_;
  std::deque<std::vector<float>> owned_;  // dequantised norm/bias vectors (stable addresses)
  std::deque<ForwardWorker*> queue_;
  bool busy_ = false;
  bool disposed_ = false;
};

// ---- weights and config --------------------------------------------------------------------------

Napi::Uint8Array LlamaModelWrap::weight_bytes(Napi::Object weights, const std::string& where, int32_t* type,
                                              std::vector<int64_t>* dims) {
  Napi::Env env = weights.Env();
  *type = static_cast<int32_t>(js::get_int(weights, "type", 0, 1023, kWeight, where));
  if (!is_supported(static_cast<GgmlType>(*type)))
    js::throw_coded(env, kWeight, where + ".type " + std::to_string(*type) + " is not a supported ggml type");
  Napi::Value d = weights.Get("dims");
  if (!d.IsArray()) js::throw_coded(env, kWeight, where + ".dims must be an array");
  Napi::Array arr = d.As<Napi::Array>();
  if (arr.Length() < 1 || arr.Length() > 4) js::throw_coded(env, kWeight, where + ".dims must have 1..4 entries");
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    Napi::Value x = arr.Get(i);
    const double v = x.IsNumber() ? x.As<Napi::Number>().DoubleValue() : -1;
    if (!(v >= 1 && v <= static_cast<double>(kMaxDim) * 64 && std::floor(v) == v))
      js::throw_coded(env, kWeight, where + ".dims[" + std::to_string(i) + "] must be a positive integer");
    dims->push_back(static_cast<int64_t>(v));
  }
  Napi::Value data = weights.Get("data");
  if (!data.IsTypedArray() || data.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    js::throw_coded(env, kWeight, where + ".data must be a Uint8Array");
  Napi::Uint8Array bytes = data.As<Napi::Uint8Array>();
  weight_refs_.push_back(Napi::Persistent(bytes));
  return bytes;
}

WeightView LlamaModelWrap::matrix(Napi::Object weights, const char* key, int64_t k, int64_t n,
                                  const std::string& where, bool optional) {
  Napi::Env env = weights.Env();
  const std::string name = where + "." + key;
  Napi::Value v = weights.Get(key);
  if (optional && v.IsUndefined()) return WeightView{GgmlType::F32, 0, 0, nullptr};
  if (!v.IsObject()) js::throw_coded(env, kWeight, name + " must be a weight object");
  int32_t type = 0;
  std::vector<int64_t> dims;
  Napi::Uint8Array bytes = weight_bytes(v.As<Napi::Object>(), name, &type, &dims);
  bool ok = dims.size() >= 2 && dims[0] == k && dims[1] == n;
  for (size_t i = 2; i < dims.size(); ++i) ok = ok && dims[i] == 1;
  if (!ok)
    js::throw_coded(env, kWeight, name + ".dims must be [" + std::to_string(k) + ", " + std::to_string(n) + "]");
  const size_t row = row_bytes(static_cast<GgmlType>(type), k);
  if (row == 0) js::throw_coded(env, kWeight, name + ": row length " + std::to_string(k) + " invalid for its type");
  if (bytes.ByteLength() != row * static_cast<size_t>(n))
    js::throw_coded(env, kWeight,
                    name + ".data has " + std::to_string(bytes.ByteLength()) + " bytes, expected " +
                        std::to_string(row * static_cast<size_t>(n)));
  return WeightView{static_cast<GgmlType>(type), k, n, bytes.Data()};
}

const float* LlamaModelWrap::vector(Napi::Object weights, const char* key, int64_t n, const std::string& where,
                                    bool optional) {
  Napi::Env env = weights.Env();
  const std::string name = where + "." + key;
  Napi::Value v = weights.Get(key);
  if (optional && v.IsUndefined()) return nullptr;
  if (!v.IsObject()) js::throw_coded(env, kWeight, name + " must be a weight object");
  int32_t type = 0;
  std::vector<int64_t> dims;
  Napi::Uint8Array bytes = weight_bytes(v.As<Napi::Object>(), name, &type, &dims);
  bool ok = dims[0] == n;
  for (size_t i = 1; i < dims.size(); ++i) ok = ok && dims[i] == 1;
  if (!ok) js::throw_coded(env, kWeight, name + ".dims must be [" + std::to_string(n) + "]");
  const GgmlType t = static_cast<GgmlType>(type);
  const size_t row = row_bytes(t, n);
  if (row == 0 || bytes.ByteLength() != row)
    js::throw_coded(env, kWeight, name + ".data has the wrong byte length for its type and dims");
  const bool aligned = reinterpret_cast<uintptr_t>(bytes.Data()) % alignof(float) == 0;
  if (t == GgmlType::F32 && aligned) return reinterpret_cast<const float*>(bytes.Data());
  owned_.emplace_back(static_cast<size_t>(n));
  dequantize_row(t, bytes.Data(), n, owned_.back().data());
  return owned_.back().data();
}

LlamaHyper read_config(Napi::Object c) {
  Napi::Env env = c.Env();
  const std::string w = "config";
  const std::string arch = js::get_string(c, "arch", kConfig, w);
  if (arch != "llama" && arch != "mistral" && arch != "qwen2" && arch != "qwen3")
    js::throw_coded(env, kConfig, "config.arch '" + arch + "' is not llama, mistral, qwen2 or qwen3");
  LlamaHyper hp{};
  hp.n_vocab = js::get_int(c, "nVocab", 1, kMaxDim, kConfig, w);
  hp.n_embd = js::get_int(c, "nEmbd", 1, kMaxDim, kConfig, w);
  hp.n_layer = js::get_int(c, "nLayer", 1, 4096, kConfig, w);
  hp.n_head = js::get_int(c, "nHead", 1, 4096, kConfig, w);
  hp.n_head_kv = js::get_int(c, "nHeadKv", 1, 4096, kConfig, w);
  hp.head_dim = js::get_int(c, "headDim", 1, 4096, kConfig, w);
  hp.n_ff = js::get_int(c, "nFf", 1, kMaxDim, kConfig, w);
  const double eps = js::get_number(c, "normEps", kConfig, w);
  if (!(eps > 0 && eps < 1)) js::throw_coded(env, kConfig, "config.normEps must be in (0, 1)");
  hp.norm_eps = static_cast<float>(eps);
  if (hp.n_head % hp.n_head_kv != 0) js::throw_coded(env, kConfig, "config.nHead must be a multiple of nHeadKv");
  if (hp.head_dim % 2 != 0) js::throw_coded(env, kConfig, "config.headDim must be even (RoPE pairs)");
  hp.block_size = js::get_int(c, "blockSize", 1, 1 << 16, kConfig, w);
  hp.num_blocks = js::get_int(c, "numBlocks", 1, 1LL << 31, kConfig, w);
  if (hp.block_size * hp.num_blocks > 2147483647LL)
    js::throw_coded(env, kConfig, "config.numBlocks * blockSize must fit in an int32 slot index");

  RopeParams& r = hp.rope;
  const double base = js::get_number(c, "ropeFreqBase", kConfig, w);
  if (!(base > 0)) js::throw_coded(env, kConfig, "config.ropeFreqBase must be > 0");
  Napi::Value neox = c.Get("ropeNeox");
  if (!neox.IsBoolean()) js::throw_coded(env, kConfig, "config.ropeNeox must be a boolean");
  r.neox = neox.As<Napi::Boolean>().Value();
  r.n_rot = static_cast<int>(hp.head_dim);
  r.freq_base = static_cast<float>(base);
  r.freq_scale = 1.0f;
  r.n_ctx_orig = 0;
  r.ext_factor = 0.0f;
  r.attn_factor = 1.0f;
  r.beta_fast = 32.0f;
  r.beta_slow = 1.0f;
  Napi::Object s = js::get_object(c, "ropeScaling", kConfig, w);
  const std::string ws = "config.ropeScaling";
  const std::string type = js::get_string(s, "type", kConfig, ws);
  if (type != "none" && type != "linear" && type != "yarn")
    js::throw_coded(env, kConfig, "config.ropeScaling.type must be none, linear or yarn");
  const double factor = js::get_number(s, "factor", kConfig, ws, true, 1.0);
  r.n_ctx_orig = static_cast<int>(js::get_int(s, "origCtx", 0, 1LL << 30, kConfig, ws));
  if (type != "none") {
    if (!(factor > 0)) js::throw_coded(env, kConfig, "config.ropeScaling.factor must be > 0");
    r.freq_scale = static_cast<float>(1.0 / factor);
  }
  if (type == "yarn") {
    // llama.cpp: a negative (unset) ext factor means 1 for YaRN.
    const double ext = js::get_number(s, "extFactor", kConfig, ws, true, -1.0);
    r.ext_factor = ext < 0 ? 1.0f : static_cast<float>(ext);
    r.attn_factor = static_cast<float>(js::get_number(s, "attnFactor", kConfig, ws, true, 1.0));
    r.beta_fast = static_cast<float>(js::get_number(s, "betaFast", kConfig, ws, true, 32.0));
    r.beta_slow = static_cast<float>(js::get_number(s, "betaSlow", kConfig, ws, true, 1.0));
  }
  return hp;
}

LlamaModelWrap::LlamaModelWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<LlamaModelWrap>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsObject())
    js::throw_coded(env, kConfig, "Usage: new LlamaModel(config, weights)");
  const LlamaHyper hp = read_config(info[0].As<Napi::Object>());
  Napi::Object w = info[1].As<Napi::Object>();
  const int64_t q_dim = hp.n_head * hp.head_dim;
  const int64_t kv_dim = hp.n_head_kv * hp.head_dim;
  LlamaTensors t;
  t.tok_embd = matrix(w, "tokenEmbd", hp.n_embd, hp.n_vocab, "weights");
  t.output_norm = vector(w, "outputNorm", hp.n_embd, "weights");
  t.output = matrix(w, "output", hp.n_embd, hp.n_vocab, "weights", true);
  if (t.output.data == nullptr) t.output = t.tok_embd;
  Napi::Value layers = w.Get("layers");
  if (!layers.IsArray() || layers.As<Napi::Array>().Length() != static_cast<uint32_t>(hp.n_layer))
    js::throw_coded(env, kWeight, "weights.layers must be an array of config.nLayer layers");
  Napi::Array arr = layers.As<Napi::Array>();
  for (int64_t i = 0; i < hp.n_layer; ++i) {
    const std::string where = "weights.layers[" + std::to_string(i) + "]";
    Napi::Value lv = arr.Get(static_cast<uint32_t>(i));
    if (!lv.IsObject()) js::throw_coded(env, kWeight, where + " must be an object");
    Napi::Object l = lv.As<Napi::Object>();
    LlamaLayer L;
    L.attn_norm = vector(l, "attnNorm", hp.n_embd, where);
    L.wq = matrix(l, "wq", hp.n_embd, q_dim, where);
    L.wk = matrix(l, "wk", hp.n_embd, kv_dim, where);
    L.wv = matrix(l, "wv", hp.n_embd, kv_dim, where);
    L.wo = matrix(l, "wo", q_dim, hp.n_embd, where);
    L.bq = vector(l, "bq", q_dim, where, true);
    L.bk = vector(l, "bk", kv_dim, where, true);
    L.bv = vector(l, "bv", kv_dim, where, true);
    L.q_norm = vector(l, "qNorm", hp.head_dim, where, true);
    L.k_norm = vector(l, "kNorm", hp.head_dim, where, true);
    L.ffn_norm = vector(l, "ffnNorm", hp.n_embd, where);
    L.ffn_gate = matrix(l, "ffnGate", hp.n_embd, hp.n_ff, where);
    L.ffn_up = matrix(l, "ffnUp", hp.n_embd, hp.n_ff, where);
    L.ffn_down = matrix(l, "ffnDown", hp.n_ff, hp.n_embd, where);
    t.layers.push_back(L);
  }
  try {
    fwd_ = std::make_unique<LlamaForward>(hp, std::move(t));
  } catch (const std::bad_alloc&) {
    js::throw_coded(env, kOom, "LlamaModel: cannot allocate the KV cache (numBlocks too large?)");
  }
}

// ---- forward -------------------------------------------------------------------------------------

ForwardBatchCopy LlamaModelWrap::read_batch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (disposed_) js::throw_coded(env, kDisposed, "LlamaModel.forward: the model was disposed");
  if (info.Length() < 1) js::throw_coded(env, "DTE_ERR_NATIVE_BATCH_SHAPE", "Usage: model.forward(batch)");
  return read_forward_batch(info[0], fwd_->cache_view(0), fwd_->hyper().n_vocab);
}

Napi::Value LlamaModelWrap::forward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ForwardBatchCopy batch;
  try {
    batch = read_batch(info);
  } catch (const Napi::Error& e) {
    auto d = Napi::Promise::Deferred::New(env);
    d.Reject(e.Value());
    return d.Promise();
  }
  const int64_t n_out = fwd_->output_size(static_cast<int64_t>(batch.logits_indices.size()), batch.want_hidden);
  Napi::Float32Array out = Napi::Float32Array::New(env, static_cast<size_t>(n_out));
  auto* worker = new ForwardWorker(env, this, std::move(batch), out);
  Napi::Promise p = worker->promise();
  if (busy_) {
    queue_.push_back(worker);
  } else {
    busy_ = true;
    worker->Queue();
  }
  return p;
}

void LlamaModelWrap::on_done() {
  if (!queue_.empty()) {
    ForwardWorker* next = queue_.front();
    queue_.pop_front();
    if (disposed_) next->cancel();
    next->Queue();
    return;
  }
  busy_ = false;
  if (disposed_) release();
}

void LlamaModelWrap::release() {
  if (fwd_) fwd_->release();
  weight_refs_.clear();  // lets the weight buffers be collected
}

Napi::Value LlamaModelWrap::forward_sync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (busy_) js::throw_coded(env, kBusy, "LlamaModel.forwardSync: an async forward is in flight");
  ForwardBatchCopy batch = read_batch(info);
  const int64_t n_out = fwd_->output_size(static_cast<int64_t>(batch.logits_indices.size()), batch.want_hidden);
  Napi::Float32Array out = Napi::Float32Array::New(env, static_cast<size_t>(n_out));
  LlamaStep step{batch.paged(), batch.tokens.data(), batch.logits_indices.data(),
                 static_cast<int64_t>(batch.logits_indices.size()), batch.want_hidden};
  try {
    fwd_->run(step, out.Data());
  } catch (const std::bad_alloc&) {
    js::throw_coded(env, kOom, "LlamaModel.forwardSync: out of memory for scratch buffers");
  } catch (const std::exception& e) {
    js::throw_coded(env, kFailed, std::string("LlamaModel.forwardSync: ") + e.what());
  }
  return out;
}

Napi::Value LlamaModelWrap::dispose(const Napi::CallbackInfo& info) {
  disposed_ = true;
  if (!busy_) release();
  return info.Env().Undefined();
}

Napi::Value LlamaModelWrap::kv_cache_bytes(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), fwd_ ? static_cast<double>(fwd_->kv_cache_bytes()) : 0.0);
}

ForwardWorker::ForwardWorker(Napi::Env env, LlamaModelWrap* model, ForwardBatchCopy batch, Napi::Float32Array out)
    : Napi::AsyncWorker(env, "dte.LlamaModel.forward"),
      model_(model),
      model_ref_(Napi::Persistent(model->Value())),
      out_ref_(Napi::Persistent(out)),
      out_(out.Data()),
      batch_(std::move(batch)),
      deferred_(Napi::Promise::Deferred::New(env)) {}

void ForwardWorker::Execute() {
  if (cancelled_) {
    code_ = kDisposed;
    SetError("LlamaModel.forward: the model was disposed");
    return;
  }
  LlamaStep step{batch_.paged(), batch_.tokens.data(), batch_.logits_indices.data(),
                 static_cast<int64_t>(batch_.logits_indices.size()), batch_.want_hidden};
  try {
    model_->core()->run(step, out_);
  } catch (const std::bad_alloc&) {
    code_ = kOom;
    SetError("LlamaModel.forward: out of memory for scratch buffers");
  } catch (const std::exception& e) {
    SetError(std::string("LlamaModel.forward: ") + e.what());
  }
}

void ForwardWorker::OnOK() {
  deferred_.Resolve(out_ref_.Value());
  model_->on_done();
}

void ForwardWorker::OnError(const Napi::Error& e) {
  Napi::Error err = js::coded_error(Env(), code_, e.Message());
  deferred_.Reject(err.Value());
  model_->on_done();
}

// ---- bare attention (tests) ----------------------------------------------------------------------

/// pagedAttention({ q, k, v, kCache, vCache, numBlocks, blockSize, nHead, nHeadKv, headDim, positions,
/// seqStarts, contextLens, blockTables, maxBlocksPerSeq, slotMapping }) → Float32Array [T*nHead*headDim].
/// Writes k/v into kCache/vCache (caller's arrays) first.
Napi::Value paged_attention_js(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  constexpr const char* kShape = "DTE_ERR_NATIVE_BATCH_SHAPE";
  if (info.Length() < 1 || !info[0].IsObject()) js::throw_coded(env, kShape, "Usage: pagedAttention(args)");
  Napi::Object a = info[0].As<Napi::Object>();
  const int64_t num_blocks = js::get_int(a, "numBlocks", 1, 1 << 24, kShape, "args");
  const int64_t block_size = js::get_int(a, "blockSize", 1, 1 << 16, kShape, "args");
  const int64_t n_head = js::get_int(a, "nHead", 1, 4096, kShape, "args");
  const int64_t n_head_kv = js::get_int(a, "nHeadKv", 1, 4096, kShape, "args");
  const int64_t head_dim = js::get_int(a, "headDim", 1, 4096, kShape, "args");
  if (n_head % n_head_kv != 0) js::throw_coded(env, kShape, "args.nHead must be a multiple of nHeadKv");
  const int64_t cache_len = num_blocks * block_size * n_head_kv * head_dim;
  Napi::Float32Array kc = js::get_float32(a, "kCache", cache_len, kShape, "args");
  Napi::Float32Array vc = js::get_float32(a, "vCache", cache_len, kShape, "args");
  KvCacheView cache{kc.Data(), vc.Data(), num_blocks, block_size, n_head_kv, head_dim};
  ForwardBatchCopy b = read_forward_batch(a, cache, -1);
  const int64_t T = static_cast<int64_t>(b.positions.size());
  Napi::Float32Array q = js::get_float32(a, "q", T * n_head * head_dim, kShape, "args");
  Napi::Float32Array k = js::get_float32(a, "k", T * n_head_kv * head_dim, kShape, "args");
  Napi::Float32Array v = js::get_float32(a, "v", T * n_head_kv * head_dim, kShape, "args");
  Napi::Float32Array out = Napi::Float32Array::New(env, static_cast<size_t>(T * n_head * head_dim));
  kv_cache_write(cache, k.Data(), v.Data(), b.slot_mapping.data(), T);
  paged_attention(cache, b.paged(), q.Data(), n_head, 1.0f / std::sqrt(static_cast<float>(head_dim)), out.Data());
  return out;
}

}  // namespace

void init_llama_model_binding(Napi::Env env, Napi::Object exports) {
  exports.Set("LlamaModel", LlamaModelWrap::define(env));
  exports.Set("pagedAttention", Napi::Function::New(env, paged_attention_js, "pagedAttention"));
}

namespace {
const BindingRegistrar kRegistrar(&init_llama_model_binding);
}  // namespace

}  // namespace dte
