// LlamaModel (napi ObjectWrap) over LlamaForward.
// forward(batch) copies the batch, then runs on a libuv worker thread (which drives the global pool);
// forwards of one model run one at a time in call order (a FIFO of queued workers).

#include <deque>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "backend/registry.h"
#include "bindings/args.h"
#include "bindings/registry.h"
#include "model/forward_batch.h"
#include "model/llama_model.h"
#include "model/llama_weights_reader.h"

namespace dte {

namespace {

constexpr const char* kConfig = "DTE_ERR_NATIVE_MODEL_CONFIG";
constexpr const char* kDisposed = "DTE_ERR_NATIVE_MODEL_DISPOSED";
constexpr const char* kBusy = "DTE_ERR_NATIVE_MODEL_BUSY";
constexpr const char* kOom = "DTE_ERR_NATIVE_OUT_OF_MEMORY";
constexpr const char* kFailed = "DTE_ERR_NATIVE_FORWARD_FAILED";

class LlamaModelWrap;

struct BackendChoice {
  std::string name = "cpu";
  std::string library;
  int device = 0;
};

/// config.backend ('cpu' | 'cuda', default 'cpu'), config.cudaLibrary (path), config.device (index).
BackendChoice read_backend_choice(Napi::Object c) {
  BackendChoice b;
  const std::string w = "config";
  if (!c.Get("backend").IsUndefined()) b.name = args::get_string(c, "backend", kConfig, w);
  if (b.name != "cpu" && b.name != "cuda")
    args::throw_coded(c.Env(), "DTE_ERR_NATIVE_BACKEND_UNKNOWN", "config.backend '" + b.name + "' is not cpu or cuda");
  if (!c.Get("cudaLibrary").IsUndefined()) b.library = args::get_string(c, "cudaLibrary", kConfig, w);
  if (!c.Get("device").IsUndefined()) b.device = static_cast<int>(args::get_int(c, "device", 0, 1023, kConfig, w));
  return b;
}

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
  Napi::Float32Array alloc_output(Napi::Env env, const ForwardBatchCopy& batch);
  void release();

  std::unique_ptr<LlamaForward> fwd_;
  WeightStore weights_;
  std::deque<ForwardWorker*> queue_;
  bool busy_ = false;
  bool disposed_ = false;
};

LlamaModelWrap::LlamaModelWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<LlamaModelWrap>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsObject())
    args::throw_coded(env, kConfig, "Usage: new LlamaModel(config, weights)");
  const LlamaHyper hp = read_llama_config(info[0].As<Napi::Object>());
  LlamaTensors t = read_llama_weights(info[1].As<Napi::Object>(), hp, weights_);
  const BackendChoice choice = read_backend_choice(info[0].As<Napi::Object>());
  std::string code, message;
  BackendHandle backend = open_backend(choice.name, choice.library, choice.device, &code, &message);
  if (!backend) args::throw_coded(env, code, "LlamaModel: " + message);
  try {
    fwd_ = std::make_unique<LlamaForward>(hp, std::move(t), std::move(backend));
  } catch (const std::bad_alloc&) {
    args::throw_coded(env, kOom,
                    std::string("LlamaModel: the ") + choice.name +
                        " backend cannot hold the weights and KV cache (numBlocks too large?)");
  } catch (const std::exception& e) {
    args::throw_coded(env, kFailed, std::string("LlamaModel: ") + e.what());
  }
}

// ---- forward -------------------------------------------------------------------------------------

ForwardBatchCopy LlamaModelWrap::read_batch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (disposed_) args::throw_coded(env, kDisposed, "LlamaModel.forward: the model was disposed");
  if (info.Length() < 1) args::throw_coded(env, "DTE_ERR_NATIVE_BATCH_SHAPE", "Usage: model.forward(batch)");
  return read_forward_batch(info[0], fwd_->cache_view(0), fwd_->hyper().n_vocab);
}

Napi::Float32Array LlamaModelWrap::alloc_output(Napi::Env env, const ForwardBatchCopy& batch) {
  const int64_t n = fwd_->output_size(static_cast<int64_t>(batch.logits_indices.size()), batch.want_hidden);
  try {
    return Napi::Float32Array::New(env, static_cast<size_t>(n));
  } catch (const Napi::Error&) {
    args::throw_coded(env, kOom, "LlamaModel.forward: cannot allocate " + std::to_string(n) + " output floats");
  }
}

Napi::Value LlamaModelWrap::forward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ForwardBatchCopy batch;
  Napi::Float32Array out;
  try {
    batch = read_batch(info);
    out = alloc_output(env, batch);
  } catch (const Napi::Error& e) {
    auto d = Napi::Promise::Deferred::New(env);
    d.Reject(e.Value());
    return d.Promise();
  }
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
  weights_.clear();  // lets the weight buffers be collected
}

Napi::Value LlamaModelWrap::forward_sync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (busy_) args::throw_coded(env, kBusy, "LlamaModel.forwardSync: an async forward is in flight");
  ForwardBatchCopy batch = read_batch(info);
  Napi::Float32Array out = alloc_output(env, batch);
  LlamaStep step{batch.paged(), batch.tokens.data(), batch.logits_indices.data(),
                 static_cast<int64_t>(batch.logits_indices.size()), batch.want_hidden};
  try {
    fwd_->run(step, out.Data());
  } catch (const std::bad_alloc&) {
    args::throw_coded(env, kOom, "LlamaModel.forwardSync: out of memory for scratch buffers");
  } catch (const std::exception& e) {
    args::throw_coded(env, kFailed, std::string("LlamaModel.forwardSync: ") + e.what());
  } catch (...) {
    args::throw_coded(env, kFailed, "LlamaModel.forwardSync: unknown native failure");
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
  } catch (...) {
    SetError("LlamaModel.forward: unknown native failure");
  }
}

void ForwardWorker::OnOK() {
  deferred_.Resolve(out_ref_.Value());
  model_->on_done();
}

void ForwardWorker::OnError(const Napi::Error& e) {
  Napi::Error err = args::coded_error(Env(), code_, e.Message());
  deferred_.Reject(err.Value());
  model_->on_done();
}

/// Adds `LlamaModel` to the addon's exports (registered once, below).
void init_llama_model_binding(Napi::Env env, Napi::Object exports) {
  exports.Set("LlamaModel", LlamaModelWrap::define(env));
}

const BindingRegistrar kRegistrar(&init_llama_model_binding);

}  // namespace

}  // namespace dte
