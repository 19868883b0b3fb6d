// The CUDA backend: backend/backend.h's table over the kernels in kernels/cuda/, on one stream of one
// device, and the C entry points of libdte_cuda.so (backend/cuda_abi.h). Built by
// scripts/build-cuda.cjs only where nvcc exists; the addon opens it with dlopen when asked.
//
// Errors: every call checks the runtime; the first failure since the last sync is kept (sticky) and
// reported by sync() with the runtime's message, so the model turns it into one typed error.
#include <cuda_runtime.h>

#include <cstdio>
#include <cstring>
#include <new>
#include <string>

#include "backend/cuda_abi.h"
#include "kernels/cuda/ops.h"

namespace dte::cuda {

namespace {

struct Context {
  int device = 0;
  int sm_count = 1;
  cudaStream_t stream = nullptr;
  bool failed = false;
  std::string error;
  float* attn_scratch = nullptr;  // split-KV partials
  size_t attn_scratch_bytes = 0;
  BackendOps ops{};
};

/// The context, with its device made current on the calling thread (forwards run on libuv worker
/// threads, and the current device is per thread).
Context* C(void* ctx) {
  Context* c = static_cast<Context*>(ctx);
  int current = -1;
  if (cudaGetDevice(&current) != cudaSuccess || current != c->device) cudaSetDevice(c->device);
  return c;
}

bool check(Context* c, cudaError_t e, const char* what) {
  if (e == cudaSuccess) return true;
  if (!c->failed) {
    c->failed = true;
    c->error = std::string(what) + ": " + cudaGetErrorName(e) + " (" + cudaGetErrorString(e) + ")";
  }
  return false;
}

/// After a launch: a bad configuration shows up here, a fault at the next sync.
void launched(Context* c, const char* op) { check(c, cudaGetLastError(), op); }

void* b_alloc(void* ctx, size_t bytes) {
  Context* c = C(ctx);
  void* p = nullptr;
  if (cudaMalloc(&p, bytes == 0 ? 1 : bytes) != cudaSuccess) {
    cudaGetLastError();  // out of memory is an answer, not a sticky failure
    return nullptr;
  }
  if (!check(c, cudaMemsetAsync(p, 0, bytes, c->stream), "cudaMemsetAsync")) {
    cudaFree(p);
    return nullptr;
  }
  return p;
}

void b_free(void* ctx, void* p) {
  if (p != nullptr) check(C(ctx), cudaFree(p), "cudaFree");
}

bool b_upload(void* ctx, void* dst, const void* src, size_t bytes) {
  Context* c = C(ctx);
  // From pageable host memory the copy is staged before the call returns, so `src` may be reused.
  return check(c, cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, c->stream), "upload");
}

bool b_download(void* ctx, void* dst, const void* src, size_t bytes) {
  Context* c = C(ctx);
  return check(c, cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, c->stream), "download") &&
         check(c, cudaStreamSynchronize(c->stream), "download");
}

int64_t b_free_memory(void* ctx) {
  size_t free_b = 0, total = 0;
  C(ctx);
  if (cudaMemGetInfo(&free_b, &total) != cudaSuccess) return -1;
  return static_cast<int64_t>(free_b);
}

void b_get_rows(void* ctx, const WeightView* t, const int32_t* ids, int64_t m, float* out) {
  get_rows(*t, ids, m, out, C(ctx)->stream);
  launched(C(ctx), "get_rows");
}
void b_rms_norm(void* ctx, const float* x, const float* w, int64_t m, int64_t n, float eps, float* y) {
  rms_norm(x, w, m, n, eps, y, C(ctx)->stream);
  launched(C(ctx), "rms_norm");
}
void b_add_rms_norm(void* ctx, float* x, const float* r, const float* w, int64_t m, int64_t n, float eps, float* y) {
  add_rms_norm(x, r, w, m, n, eps, y, C(ctx)->stream);
  launched(C(ctx), "add_rms_norm");
}
void b_add_bias(void* ctx, float* x, const float* b, int64_t m, int64_t n) {
  add_bias(x, b, m, n, C(ctx)->stream);
  launched(C(ctx), "add_bias");
}
void b_matmul(void* ctx, const WeightView* w, const float* x, int64_t m, float* y) {
  matmul(*w, x, m, y, C(ctx)->stream);
  launched(C(ctx), "matmul");
}
void b_rope_kv_write(void* ctx, float* q, float* k, const float* v, const int32_t* pos, int64_t n_tokens,
                     int64_t n_head, const RopeParams* rope, const KvCacheView* cache, const int32_t* slots) {
  rope_kv_write(q, k, v, pos, n_tokens, n_head, *rope, *cache, slots, C(ctx)->stream);
  launched(C(ctx), "rope_kv_write");
}
void b_paged_attention(void* ctx, const KvCacheView* cache, const PagedBatch* b, const float* q, int64_t n_head,
                       float scale, float* out) {
  Context* c = C(ctx);
  if (cache->head_dim > 256 || cache->head_dim < 1) {
    check(c, cudaErrorInvalidValue, "paged_attention: head_dim must be 1..256 on CUDA");
    return;
  }
  const int64_t need = paged_attention_scratch(*b, n_head, cache->head_dim, c->sm_count);
  const size_t bytes = sizeof(float) * static_cast<size_t>(need);
  if (bytes > c->attn_scratch_bytes) {
    if (c->attn_scratch != nullptr) check(c, cudaFree(c->attn_scratch), "cudaFree");
    c->attn_scratch = nullptr;
    c->attn_scratch_bytes = 0;
    void* p = nullptr;
    if (cudaMalloc(&p, bytes) == cudaSuccess) {
      c->attn_scratch = static_cast<float*>(p);
      c->attn_scratch_bytes = bytes;
    } else {
      cudaGetLastError();  // no scratch: attention runs unsplit
    }
  }
  paged_attention(*cache, *b, q, n_head, scale, out, need > 0 ? c->attn_scratch : nullptr, c->sm_count, c->stream);
  launched(c, "paged_attention");
}
void b_silu_mul(void* ctx, const float* gate, const float* up, int64_t n, float* out) {
  silu_mul(gate, up, n, out, C(ctx)->stream);
  launched(C(ctx), "silu_mul");
}
void b_gather_rows(void* ctx, const float* src, const int32_t* idx, int64_t n_rows, int64_t width, float* dst) {
  gather_rows(src, idx, n_rows, width, dst, C(ctx)->stream);
  launched(C(ctx), "gather_rows");
}
bool b_sync(void* ctx) {
  Context* c = C(ctx);
  check(c, cudaStreamSynchronize(c->stream), "cudaStreamSynchronize");
  const bool ok = !c->failed;
  c->failed = false;
  return ok;
}
const char* b_last_error(void* ctx) { return C(ctx)->error.c_str(); }
void b_destroy(void* ctx) {
  Context* c = C(ctx);
  if (c->attn_scratch != nullptr) cudaFree(c->attn_scratch);
  if (c->stream != nullptr) cudaStreamDestroy(c->stream);
  delete c;
}

void put(char* out, size_t n, const std::string& s) {
  if (out == nullptr || n == 0) return;
  std::snprintf(out, n, "%s", s.c_str());
}

std::string why(cudaError_t e) {
  const std::string detail = std::string(cudaGetErrorName(e)) + ": " + cudaGetErrorString(e);
  if (e == cudaErrorNoDevice) return "no device (" + detail + ")";
  if (e == cudaErrorInsufficientDriver || e == cudaErrorStubLibrary || e == cudaErrorNotPermitted ||
      e == cudaErrorSystemDriverMismatch || e == cudaErrorCompatNotSupportedOnDevice)
    return "no driver (" + detail + ")";
  return "cuda error (" + detail + ")";
}

}  // namespace

}  // namespace dte::cuda

using namespace dte::cuda;  // NOLINT: the C entry points below

extern "C" {

__attribute__((visibility("default"))) uint32_t dte_cuda_abi(void) { return dte::kBackendAbi; }

__attribute__((visibility("default"))) int dte_cuda_device_count(char* reason, size_t reason_len) {
  int n = 0;
  const cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess) {
    put(reason, reason_len, why(e));
    cudaGetLastError();
    return 0;
  }
  if (n == 0) put(reason, reason_len, "no device");
  return n;
}

__attribute__((visibility("default"))) bool dte_cuda_device_info(int index, DteCudaDevice* out, char* reason,
                                                                  size_t reason_len) {
  cudaDeviceProp p{};
  cudaError_t e = cudaGetDeviceProperties(&p, index);
  if (e != cudaSuccess) {
    put(reason, reason_len, why(e));
    return false;
  }
  std::memset(out, 0, sizeof *out);
  std::snprintf(out->name, sizeof out->name, "%s", p.name);
  out->major = p.major;
  out->minor = p.minor;
  out->sm_count = p.multiProcessorCount;
  out->total_memory = static_cast<int64_t>(p.totalGlobalMem);
  int clock_khz = 0, bus_bits = 0;
  if (cudaDeviceGetAttribute(&clock_khz, cudaDevAttrMemoryClockRate, index) == cudaSuccess &&
      cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, index) == cudaSuccess)
    out->peak_bandwidth = 2.0 * clock_khz * 1e3 * (bus_bits / 8.0);  // double data rate
  size_t free_b = 0, total = 0;
  if (cudaSetDevice(index) == cudaSuccess && cudaMemGetInfo(&free_b, &total) == cudaSuccess)
    out->free_memory = static_cast<int64_t>(free_b);
  cudaGetLastError();
  return true;
}

__attribute__((visibility("default"))) const dte::BackendOps* dte_cuda_open(int index, char* reason,
                                                                             size_t reason_len) {
  int n = dte_cuda_device_count(reason, reason_len);
  if (n == 0) return nullptr;
  if (index < 0 || index >= n) {
    put(reason, reason_len, "no device " + std::to_string(index) + " (there are " + std::to_string(n) + ")");
    return nullptr;
  }
  Context* c = new (std::nothrow) Context();
  if (c == nullptr) return nullptr;
  c->device = index;
  cudaError_t e = cudaSetDevice(index);
  if (e == cudaSuccess) e = cudaStreamCreateWithFlags(&c->stream, cudaStreamNonBlocking);
  if (e == cudaSuccess) e = cudaDeviceGetAttribute(&c->sm_count, cudaDevAttrMultiProcessorCount, index);
  if (e != cudaSuccess) {
    put(reason, reason_len, why(e));
    b_destroy(c);
    return nullptr;
  }
  dte::BackendOps& o = c->ops;
  o.abi = dte::kBackendAbi;
  o.name = "cuda";
  o.host_memory = false;
  o.ctx = c;
  o.destroy = &b_destroy;
  o.alloc = &b_alloc;
  o.free = &b_free;
  o.upload = &b_upload;
  o.download = &b_download;
  o.free_memory = &b_free_memory;
  o.get_rows = &b_get_rows;
  o.rms_norm = &b_rms_norm;
  o.add_rms_norm = &b_add_rms_norm;
  o.add_bias = &b_add_bias;
  o.matmul = &b_matmul;
  o.rope_kv_write = &b_rope_kv_write;
  o.paged_attention = &b_paged_attention;
  o.silu_mul = &b_silu_mul;
  o.gather_rows = &b_gather_rows;
  o.sync = &b_sync;
  o.last_error = &b_last_error;
  return &o;
}

__attribute__((visibility("default"))) double dte_cuda_copy_bandwidth(int index, size_t bytes, int reps) {
  void* a = nullptr;
  void* b = nullptr;
  cudaEvent_t e0 = nullptr, e1 = nullptr;
  double result = 0;
  if (cudaSetDevice(index) == cudaSuccess && cudaMalloc(&a, bytes) == cudaSuccess &&
      cudaMalloc(&b, bytes) == cudaSuccess && cudaEventCreate(&e0) == cudaSuccess &&
      cudaEventCreate(&e1) == cudaSuccess) {
    cudaMemset(a, 1, bytes);
    cudaMemcpy(b, a, bytes, cudaMemcpyDeviceToDevice);  // warm-up
    cudaEventRecord(e0);
    for (int r = 0; r < reps; ++r) cudaMemcpy(b, a, bytes, cudaMemcpyDeviceToDevice);
    cudaEventRecord(e1);
    float ms = 0;
    if (cudaEventSynchronize(e1) == cudaSuccess && cudaEventElapsedTime(&ms, e0, e1) == cudaSuccess && ms > 0)
      result = 2.0 * static_cast<double>(bytes) * reps / (ms / 1e3);
  }
  if (e0) cudaEventDestroy(e0);
  if (e1) cudaEventDestroy(e1);
  if (a) cudaFree(a);
  if (b) cudaFree(b);
  cudaGetLastError();
  return result;
}

}  // extern "C"
