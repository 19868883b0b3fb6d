// JS surface of the Llama forward: the `LlamaModel` class (forward → Promise on a libuv worker,
// forwardSync, kvCacheBytes, dispose) and `pagedAttention` (the bare kernel, for tests).
#pragma once

#include <napi.h>

namespace dte {

/// Adds `LlamaModel` and `pagedAttention` to the addon's exports.
void init_llama_model_binding(Napi::Env env, Napi::Object exports);

}  // namespace dte
