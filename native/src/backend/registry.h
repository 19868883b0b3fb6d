// Opening a backend by name: "cpu" (always there) or "cuda" (libdte_cuda.so, opened at run time).
#pragma once

#include <string>
#include <vector>

#include "backend/cuda_abi.h"
#include "model/llama_model.h"

namespace dte {

/// What a probe of the CUDA library found. `built`: the library exists and opened with our ABI.
/// `reason` says why there are no devices ("not built", "no driver", "no device", …), empty otherwise.
struct CudaProbe {
  bool built = false;
  std::string library;
  std::vector<DteCudaDevice> devices;
  std::string reason;
};

/// Probes the CUDA library at `library` (never throws).
CudaProbe probe_cuda(const std::string& library);

/// Opens backend `name` ("cpu" or "cuda"; `library` is the CUDA library's path, `device` its index).
/// On failure returns null with `code` (DTE_ERR_NATIVE_BACKEND_UNAVAILABLE or
/// DTE_ERR_NATIVE_BACKEND_UNKNOWN) and `message` set.
BackendHandle open_backend(const std::string& name, const std::string& library, int device, std::string* code,
                           std::string* message);

}  // namespace dte
