// Backend registry: the CPU backend is linked in; the CUDA one is a separate library opened with
// dlopen on first use (kept open for the life of the process, as its kernels may still be referenced).
#include "backend/registry.h"

#include <dlfcn.h>

#include <mutex>

namespace dte {

namespace {

struct CudaLibrary {
  void* handle = nullptr;
  std::string error;
  DteCudaAbiFn abi = nullptr;
  DteCudaDeviceCountFn device_count = nullptr;
  DteCudaDeviceInfoFn device_info = nullptr;
  DteCudaOpenFn open = nullptr;
};

std::mutex g_mutex;

/// Opens (once per path) and checks the library; `lib.handle` null with `lib.error` on failure.
const CudaLibrary& cuda_library(const std::string& path) {
  static std::vector<std::pair<std::string, CudaLibrary>> opened;
  for (const auto& [p, lib] : opened)
    if (p == path) return lib;
  CudaLibrary lib;
  void* h = path.empty() ? nullptr : dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (h == nullptr) {
    const char* e = dlerror();
    lib.error = "not built: " + (path.empty() ? std::string("no library path") : std::string(e ? e : path));
  } else {
    lib.abi = reinterpret_cast<DteCudaAbiFn>(dlsym(h, "dte_cuda_abi"));
    lib.device_count = reinterpret_cast<DteCudaDeviceCountFn>(dlsym(h, "dte_cuda_device_count"));
    lib.device_info = reinterpret_cast<DteCudaDeviceInfoFn>(dlsym(h, "dte_cuda_device_info"));
    lib.open = reinterpret_cast<DteCudaOpenFn>(dlsym(h, "dte_cuda_open"));
    if (lib.abi == nullptr || lib.device_count == nullptr || lib.device_info == nullptr || lib.open == nullptr) {
      lib.error = "not built: " + path + " lacks the dte_cuda_* entry points";
      dlclose(h);
    } else if (lib.abi() != kBackendAbi) {
      lib.error = "not built: " + path + " has backend ABI " + std::to_string(lib.abi()) + ", the addon " +
                  std::to_string(kBackendAbi) + " (rebuild it with `npm run build:cuda -w native`)";
      dlclose(h);
    } else {
      lib.handle = h;
    }
  }
  opened.emplace_back(path, lib);
  return opened.back().second;
}

}  // namespace

CudaProbe probe_cuda(const std::string& library) {
  std::lock_guard<std::mutex> lock(g_mutex);
  CudaProbe p;
  p.library = library;
  const CudaLibrary& lib = cuda_library(library);
  if (lib.handle == nullptr) {
    p.reason = lib.error;
    return p;
  }
  p.built = true;
  char reason[512] = {0};
  const int n = lib.device_count(reason, sizeof reason);
  for (int i = 0; i < n; ++i) {
    DteCudaDevice d{};
    if (lib.device_info(i, &d, reason, sizeof reason)) p.devices.push_back(d);
  }
  if (p.devices.empty()) p.reason = reason[0] != 0 ? reason : "no device";
  return p;
}

BackendHandle open_backend(const std::string& name, const std::string& library, int device, std::string* code,
                           std::string* message) {
  if (name == "cpu") return BackendHandle(cpu_backend());
  if (name != "cuda") {
    *code = "DTE_ERR_NATIVE_BACKEND_UNKNOWN";
    *message = "backend '" + name + "' is not cpu or cuda";
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(g_mutex);
  const CudaLibrary& lib = cuda_library(library);
  if (lib.handle == nullptr) {
    *code = "DTE_ERR_NATIVE_BACKEND_UNAVAILABLE";
    *message = "cuda backend: " + lib.error;
    return nullptr;
  }
  char reason[512] = {0};
  const BackendOps* ops = lib.open(device, reason, sizeof reason);
  if (ops == nullptr) {
    *code = "DTE_ERR_NATIVE_BACKEND_UNAVAILABLE";
    *message = std::string("cuda backend: ") + (reason[0] != 0 ? reason : "no device");
    return nullptr;
  }
  return BackendHandle(ops);
}

}  // namespace dte
