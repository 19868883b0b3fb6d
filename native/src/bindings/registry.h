// Self-registration of N-API bindings: each bindings .cc file defines
//   static dte::BindingRegistrar reg(&my_init);   // my_init(env, exports) sets its functions/classes
// and addon.cc calls every registered init when the module loads, so no file edits addon.cc.
#pragma once
#include <napi.h>

namespace dte {

using BindingInit = void (*)(Napi::Env env, Napi::Object exports);

struct BindingRegistrar {
  explicit BindingRegistrar(BindingInit init);
};

/// Runs every registered init (called once from addon.cc).
void run_binding_inits(Napi::Env env, Napi::Object exports);

}  // namespace dte
