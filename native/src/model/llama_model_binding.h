// JS surface of the Llama forward: the `LlamaModel` class (forward → Promise on a libuv worker,
// forwardSync, kvCacheBytes, dispose).
#pragma once

#include <napi.h>

namespace dte {

/// Adds `LlamaModel` to the addon's exports.
void init_llama_model_binding(Napi::Env env, Napi::Object exports);

}  // namespace dte
