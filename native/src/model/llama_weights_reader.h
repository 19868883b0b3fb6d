// Reads LlamaModel's config and weights from JS objects, validating every field (typed errors:
// DTE_ERR_NATIVE_MODEL_CONFIG / DTE_ERR_NATIVE_MODEL_WEIGHT). Weight bytes stay zero-copy: the store keeps a
// reference to each Uint8Array; non-f32 or unaligned norm/bias vectors are dequantised into owned f32.
#pragma once

#include <napi.h>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "model/llama_model.h"

namespace dte {

/// Owns the references (and dequantised copies) behind a model's weight views.
class WeightStore {
 public:
  /// weights[key] as a matrix of n rows × k (dims [k, n]); {data: nullptr} when optional and absent.
  WeightView matrix(Napi::Object weights, const char* key, int64_t k, int64_t n, const std::string& where,
                    bool optional = false);
  /// weights[key] as n floats; nullptr when optional and absent.
  const float* vector(Napi::Object weights, const char* key, int64_t n, const std::string& where,
                      bool optional = false);
  /// Drops every reference (after the model stopped using the views).
  void clear() {
    refs_.clear();
    owned_.clear();
  }

 private:
  Napi::Uint8Array weight_bytes(Napi::Object w, const std::string& where, int32_t* type, std::vector<int64_t>* dims);

  std::vector<Napi::Reference<Napi::Uint8Array>> refs_;
  std::deque<std::vector<float>> owned_;  // stable addresses
};

/// Reads and checks a LlamaConfig object.
LlamaHyper read_llama_config(Napi::Object config);

/// Reads every weight of `hp`'s model (LlamaWeights object) into views kept alive by `store`.
LlamaTensors read_llama_weights(Napi::Object weights, const LlamaHyper& hp, WeightStore& store);

}  // namespace dte
