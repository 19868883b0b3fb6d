// Argument checking for N-API bindings: every failure throws a JS TypeError whose message starts with
// the call's usage line and whose `code` is DTE_ERR_NATIVE_BAD_ARGUMENT (RangeError-like failures too:
// one code keeps the TS error registry small).
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>

#include "core/ggml_types.h"

namespace dte::args {

constexpr const char* kBadArgument = "DTE_ERR_NATIVE_BAD_ARGUMENT";

/// Throws TypeError(usage + ": " + what) with code DTE_ERR_NATIVE_BAD_ARGUMENT.
[[noreturn]] void fail(Napi::Env env, const char* usage, const std::string& what);
/// Throws unless there are at least n arguments.
void need(const Napi::CallbackInfo& info, size_t n, const char* usage);
/// An integer-valued number in [lo, hi].
int64_t integer(const Napi::CallbackInfo& info, size_t i, const char* usage, int64_t lo, int64_t hi);
/// A finite number.
double number(const Napi::CallbackInfo& info, size_t i, const char* usage);
/// A boolean.
bool boolean(const Napi::CallbackInfo& info, size_t i, const char* usage);
/// A supported ggml type id.
GgmlType type(const Napi::CallbackInfo& info, size_t i, const char* usage);
/// A Uint8Array (a Buffer is one).
Napi::Uint8Array bytes(const Napi::CallbackInfo& info, size_t i, const char* usage);
/// A Float32Array with at least min_len elements.
Napi::Float32Array f32(const Napi::CallbackInfo& info, size_t i, const char* usage, int64_t min_len);
/// An Int32Array with at least min_len elements.
Napi::Int32Array i32(const Napi::CallbackInfo& info, size_t i, const char* usage, int64_t min_len);

}  // namespace dte::args
