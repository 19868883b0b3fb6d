// cudaProbe(libraryPath) → { built, library, devices: [{ name, computeCapability, smCount, totalMemory,
// freeMemory, peakBandwidth }], reason }: what the CUDA library at that path can do here (never throws
// for a missing library, driver or device: those are reported in `reason`).
#include <napi.h>

#include "backend/registry.h"
#include "bindings/args.h"
#include "bindings/registry.h"

namespace dte {

namespace {

Napi::Value CudaProbeJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString())
    args::throw_coded(env, "DTE_ERR_NATIVE_BACKEND_UNKNOWN", "Usage: cudaProbe(libraryPath)");
  const CudaProbe p = probe_cuda(info[0].As<Napi::String>().Utf8Value());
  Napi::Object o = Napi::Object::New(env);
  o.Set("built", p.built);
  o.Set("library", p.library);
  Napi::Array devices = Napi::Array::New(env, p.devices.size());
  for (size_t i = 0; i < p.devices.size(); ++i) {
    const DteCudaDevice& d = p.devices[i];
    Napi::Object dev = Napi::Object::New(env);
    dev.Set("index", static_cast<double>(i));
    dev.Set("name", d.name);
    dev.Set("computeCapability", std::to_string(d.major) + "." + std::to_string(d.minor));
    dev.Set("smCount", d.sm_count);
    dev.Set("totalMemory", static_cast<double>(d.total_memory));
    dev.Set("freeMemory", static_cast<double>(d.free_memory));
    dev.Set("peakBandwidth", d.peak_bandwidth);
    devices.Set(static_cast<uint32_t>(i), dev);
  }
  o.Set("devices", devices);
  o.Set("reason", p.reason);
  return o;
}

void init_backend(Napi::Env env, Napi::Object exports) {
  exports.Set("cudaProbe", Napi::Function::New(env, CudaProbeJs, "cudaProbe"));
}

const BindingRegistrar kRegistrar(&init_backend);

}  // namespace

}  // namespace dte
