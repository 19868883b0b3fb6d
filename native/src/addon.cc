// Module entry: `version()` plus every binding registered with dte::BindingRegistrar, each exactly once
// (kernels in bindings/, the model and paged attention in model/, backends in bindings/backend_binding.cc).
#include <napi.h>

#include <vector>

#include "bindings/registry.h"

namespace dte {

namespace {
std::vector<BindingInit>& inits() {
  static std::vector<BindingInit> v;
  return v;
}
}  // namespace

BindingRegistrar::BindingRegistrar(BindingInit init) { inits().push_back(init); }

void run_binding_inits(Napi::Env env, Napi::Object exports) {
  for (BindingInit f : inits()) f(env, exports);
}

}  // namespace dte

static Napi::Value Version(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), "0.1.0"); }

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("version", Napi::Function::New(env, Version));
  dte::run_binding_inits(env, exports);
  return exports;
}

NODE_API_MODULE(dte_native, Init)
