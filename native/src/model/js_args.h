// Argument readers for the model binding: every reader validates and throws a typed JS error
// (an Error with a stable `code`, DTE_ERR_NATIVE_*) instead of crashing on bad input.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

namespace dte::js {

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

}  // namespace dte::js
