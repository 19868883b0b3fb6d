// The C entry points libdte_cuda.so exports (see backend/cuda/cuda_backend.cu). The addon opens the
// library with dlopen only when a CUDA backend is asked for (or probed), so machines without CUDA
// never load it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "backend/backend.h"

extern "C" {

/// One CUDA device as the runtime reports it.
struct DteCudaDevice {
  char name[256];
  int major;
  int minor;
  int sm_count;
  int64_t total_memory;
  int64_t free_memory;
  /// Peak DRAM bandwidth in bytes/s from the memory clock and bus width (0 when the runtime does not say).
  double peak_bandwidth;
};

/// kBackendAbi the library was built with.
typedef uint32_t (*DteCudaAbiFn)(void);
/// Number of usable devices; on 0, `reason` gets why ("no driver: …", "no device: …").
typedef int (*DteCudaDeviceCountFn)(char* reason, size_t reason_len);
/// Fills `out` for device `index`; false with `reason` filled when it cannot.
typedef bool (*DteCudaDeviceInfoFn)(int index, DteCudaDevice* out, char* reason, size_t reason_len);
/// A CUDA backend on device `index` (its `destroy` frees it), or null with `reason` filled.
typedef const dte::BackendOps* (*DteCudaOpenFn)(int index, char* reason, size_t reason_len);
/// Measured DRAM bandwidth of device `index`: `reps` device-to-device copies of `bytes`, counting
/// bytes read plus bytes written per second (0 on failure). For benchmarks.
typedef double (*DteCudaCopyBandwidthFn)(int index, size_t bytes, int reps);

}
