#include "bindings/args.h"

#include <cmath>

namespace dte::args {

void fail(Napi::Env env, const char* usage, const std::string& what) {
  Napi::Error err = Napi::TypeError::New(env, std::string("Usage: ") + usage + ": " + what);
  err.Set("code", Napi::String::New(env, kBadArgument));
  throw err;
}

void need(const Napi::CallbackInfo& info, size_t n, const char* usage) {
  if (info.Length() < n) fail(info.Env(), usage, "expected " + std::to_string(n) + " arguments");
}

double number(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  if (i >= info.Length() || !info[i].IsNumber()) fail(info.Env(), usage, "argument " + std::to_string(i) + " must be a number");
  const double v = info[i].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(v)) fail(info.Env(), usage, "argument " + std::to_string(i) + " must be finite");
  return v;
}

int64_t integer(const Napi::CallbackInfo& info, size_t i, const char* usage, int64_t lo, int64_t hi) {
  const double v = number(info, i, usage);
  if (v != std::floor(v) || v < static_cast<double>(lo) || v > static_cast<double>(hi)) {
    fail(info.Env(), usage,
         "argument " + std::to_string(i) + " must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  return static_cast<int64_t>(v);
}

bool boolean(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  if (i >= info.Length() || !info[i].IsBoolean()) fail(info.Env(), usage, "argument " + std::to_string(i) + " must be a boolean");
  return info[i].As<Napi::Boolean>().Value();
}

GgmlType type(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  const int64_t t = integer(info, i, usage, 0, 1000);
  const GgmlType g = static_cast<GgmlType>(t);
  if (!is_supported(g)) fail(info.Env(), usage, "unsupported ggml type " + std::to_string(t));
  return g;
}

Napi::Uint8Array bytes(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  if (i >= info.Length() || !info[i].IsTypedArray() ||
      info[i].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    fail(info.Env(), usage, "argument " + std::to_string(i) + " must be a Uint8Array");
  }
  return info[i].As<Napi::Uint8Array>();
}

Napi::Float32Array f32(const Napi::CallbackInfo& info, size_t i, const char* usage, int64_t min_len) {
  if (i >= info.Length() || !info[i].IsTypedArray() ||
      info[i].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    fail(info.Env(), usage, "argument " + std::to_string(i) + " must be a Float32Array");
  }
  Napi::Float32Array a = info[i].As<Napi::Float32Array>();
  if (static_cast<int64_t>(a.ElementLength()) < min_len) {
    fail(info.Env(), usage, "argument " + std::to_string(i) + " needs at least " + std::to_string(min_len) + " elements");
  }
  return a;
}

Napi::Int32Array i32(const Napi::CallbackInfo& info, size_t i, const char* usage, int64_t min_len) {
  if (i >= info.Length() || !info[i].IsTypedArray() ||
      info[i].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    fail(info.Env(), usage, "argument " + std::to_string(i) + " must be an Int32Array");
  }
  Napi::Int32Array a = info[i].As<Napi::Int32Array>();
  if (static_cast<int64_t>(a.ElementLength()) < min_len) {
    fail(info.Env(), usage, "argument " + std::to_string(i) + " needs at least " + std::to_string(min_len) + " elements");
  }
  return a;
}

// ---- object fields ------------------------------------------------------------------------------


Napi::Error coded_error(Napi::Env env, const std::string& code, const std::string& message) {
  Napi::Error e = Napi::Error::New(env, message);
  e.Set("code", Napi::String::New(env, code));
  return e;
}

void throw_coded(Napi::Env env, const std::string& code, const std::string& message) {
  throw coded_error(env, code, message);
}

namespace {
std::string field(const std::string& where, const char* key) { return where.empty() ? key : where + "." + key; }
}  // namespace

Napi::Object get_object(Napi::Object obj, const char* key, const char* code, const std::string& where) {
  Napi::Value v = obj.Get(key);
  if (!v.IsObject()) throw_coded(obj.Env(), code, field(where, key) + " must be an object");
  return v.As<Napi::Object>();
}

int64_t get_int(Napi::Object obj, const char* key, int64_t lo, int64_t hi, const char* code,
                const std::string& where) {
  Napi::Value v = obj.Get(key);
  if (!v.IsNumber()) throw_coded(obj.Env(), code, field(where, key) + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || std::floor(d) != d || d < static_cast<double>(lo) || d > static_cast<double>(hi))
    throw_coded(obj.Env(), code,
                field(where, key) + " must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return static_cast<int64_t>(d);
}

double get_number(Napi::Object obj, const char* key, const char* code, const std::string& where, bool optional,
                  double fallback) {
  Napi::Value v = obj.Get(key);
  if (optional && v.IsUndefined()) return fallback;
  if (!v.IsNumber()) throw_coded(obj.Env(), code, field(where, key) + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d)) throw_coded(obj.Env(), code, field(where, key) + " must be finite");
  return d;
}

bool get_bool(Napi::Object obj, const char* key, bool fallback, const char* code, const std::string& where) {
  Napi::Value v = obj.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsBoolean()) throw_coded(obj.Env(), code, field(where, key) + " must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

std::string get_string(Napi::Object obj, const char* key, const char* code, const std::string& where) {
  Napi::Value v = obj.Get(key);
  if (!v.IsString()) throw_coded(obj.Env(), code, field(where, key) + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

std::vector<int32_t> copy_int32(Napi::Object obj, const char* key, int64_t expected, const char* code,
                                const std::string& where) {
  Napi::Value v = obj.Get(key);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    throw_coded(obj.Env(), code, field(where, key) + " must be an Int32Array");
  Napi::Int32Array a = v.As<Napi::Int32Array>();
  const int64_t n = static_cast<int64_t>(a.ElementLength());
  if (expected >= 0 && n != expected)
    throw_coded(obj.Env(), code,
                field(where, key) + " has " + std::to_string(n) + " elements, expected " + std::to_string(expected));
  return std::vector<int32_t>(a.Data(), a.Data() + n);
}

Napi::Float32Array get_float32(Napi::Object obj, const char* key, int64_t expected, const char* code,
                               const std::string& where) {
  Napi::Value v = obj.Get(key);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw_coded(obj.Env(), code, field(where, key) + " must be a Float32Array");
  Napi::Float32Array a = v.As<Napi::Float32Array>();
  if (static_cast<int64_t>(a.ElementLength()) != expected)
    throw_coded(obj.Env(), code,
                field(where, key) + " has " + std::to_string(a.ElementLength()) + " elements, expected " +
                    std::to_string(expected));
  return a;
}

}  // namespace dte::args
