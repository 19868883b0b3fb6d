// The one argument-checking helper of the N-API bindings. Every reader validates and throws a typed JS
// error instead of crashing on bad input:
//   positional arguments (kernels): a TypeError whose message starts with the call's usage line and whose
//   `code` is DTE_ERR_NATIVE_BAD_ARGUMENT (range failures too: one code keeps the TS registry small);
//   object fields (model config, weights, batches): an Error with the caller's stable DTE_ERR_NATIVE_* code.
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

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

// ---- object fields ------------------------------------------------------------------------------

/// Throws a JS Error with `code` set (requires NAPI_CPP_EXCEPTIONS).
[[noreturn]] void throw_coded(Napi::Env env, const std::string& code, const std::string& message);
/// An Error value with `code` set, for rejecting promises.
Napi::Error coded_error(Napi::Env env, const std::string& code, const std::string& message);

/// obj[key] as an object; throws `code` when missing or not an object.
Napi::Object get_object(Napi::Object obj, const char* key, const char* code, const std::string& where);
/// obj[key] as an integer in [lo, hi].
int64_t get_int(Napi::Object obj, const char* key, int64_t lo, int64_t hi, const char* code,
                const std::string& where);
/// obj[key] as a finite number, or `fallback` when undefined and `optional`.
double get_number(Napi::Object obj, const char* key, const char* code, const std::string& where, bool optional = false,
                  double fallback = 0.0);
/// obj[key] as a boolean, `fallback` when undefined.
bool get_bool(Napi::Object obj, const char* key, bool fallback, const char* code, const std::string& where);
/// obj[key] as a string.
std::string get_string(Napi::Object obj, const char* key, const char* code, const std::string& where);
/// obj[key] must be an Int32Array of `expected` elements (any length when expected < 0); copied out.
std::vector<int32_t> copy_int32(Napi::Object obj, const char* key, int64_t expected, const char* code,
                                const std::string& where);
/// obj[key] must be a Float32Array of exactly `expected` elements; returns it (no copy).
Napi::Float32Array get_float32(Napi::Object obj, const char* key, int64_t expected, const char* code,
                               const std::string& where);

}  // namespace dte::args
