// RoPE (normal or NeoX pairs, YaRN, Llama 3 rope_freqs) on q and k, fused with writing k and v into
// the paged cache: one block per token; the rotation finishes (barrier) before the cache write.
#include <cmath>

#include "kernels/cuda/common.cuh"
#include "kernels/cuda/ops.h"

namespace dte::cuda {

namespace {
constexpr int kThreads = 128;

struct RopeDev {
  bool neox;
  int n_dims;
  float theta_scale;
  float freq_scale;
  float ext_factor;
  float attn_factor;
  float corr0, corr1;
  const float* freq_factors;
};

__device__ __forceinline__ void rotate(float* v, int i0, int n_dims, bool neox, float c, float s) {
  const int a = neox ? i0 / 2 : i0;
  const int b = neox ? i0 / 2 + n_dims / 2 : i0 + 1;
  const float x0 = v[a], x1 = v[b];
  v[a] = x0 * c - x1 * s;
  v[b] = x0 * s + x1 * c;
}

__global__ void rope_kv_kernel(float* q, float* k, const float* v, const int32_t* pos, int64_t n_head,
                               int64_t n_head_kv, int64_t hd, RopeDev r, void* k_cache, void* v_cache, bool f16,
                               const int32_t* slots) {
  const int64_t t = blockIdx.x;
  const int half_dims = r.n_dims / 2;
  const float p = static_cast<float>(pos[t]);
  const int64_t pairs = (n_head + n_head_kv) * half_dims;
  for (int64_t i = threadIdx.x; i < pairs; i += blockDim.x) {
    const int64_t head = i / half_dims;
    const int i2 = static_cast<int>(i % half_dims);
    const int i0 = 2 * i2;
    const float theta_extrap =
        p * powf(r.theta_scale, static_cast<float>(i2)) / (r.freq_factors != nullptr ? r.freq_factors[i2] : 1.0f);
    const float theta_interp = r.freq_scale * theta_extrap;
    float th = theta_interp;
    float mscale = r.attn_factor;
    if (r.ext_factor != 0.0f) {
      const float y = (static_cast<float>(i0 / 2) - r.corr0) / fmaxf(0.001f, r.corr1 - r.corr0);
      const float mix = (1.0f - fminf(1.0f, fmaxf(0.0f, y))) * r.ext_factor;
      th = theta_interp * (1.0f - mix) + theta_extrap * mix;
      mscale *= 1.0f + 0.1f * logf(1.0f / r.freq_scale);
    }
    float sn, cs;
    sincosf(th, &sn, &cs);
    float* row = head < n_head ? q + (t * n_head + head) * hd : k + (t * n_head_kv + (head - n_head)) * hd;
    rotate(row, i0, r.n_dims, r.neox, cs * mscale, sn * mscale);
  }
  __syncthreads();
  const int64_t width = n_head_kv * hd;
  const int64_t slot = slots[t];
  const float* kr = k + t * width;
  const float* vr = v + t * width;
  for (int64_t j = threadIdx.x; j < width; j += blockDim.x) {
    if (f16) {
      static_cast<__half*>(k_cache)[slot * width + j] = __float2half_rn(kr[j]);
      static_cast<__half*>(v_cache)[slot * width + j] = __float2half_rn(vr[j]);
    } else {
      static_cast<float*>(k_cache)[slot * width + j] = kr[j];
      static_cast<float*>(v_cache)[slot * width + j] = vr[j];
    }
  }
}

float corr_dim(int n_dims, int n_ctx_orig, float n_rot, float base) {
  return static_cast<float>(n_dims) * std::log(static_cast<float>(n_ctx_orig) / (n_rot * 2.0f * static_cast<float>(M_PI))) /
         (2.0f * std::log(base));
}
}  // namespace

void rope_kv_write(float* q, float* k, const float* v, const int32_t* pos, int64_t n_tokens, int64_t n_head,
                   const RopeParams& p, const KvCacheView& cache, const int32_t* slot_mapping, cudaStream_t s) {
  if (n_tokens <= 0) return;
  RopeDev r{};
  r.neox = p.neox;
  r.n_dims = p.n_rot < static_cast<int>(cache.head_dim) ? p.n_rot : static_cast<int>(cache.head_dim);
  if (r.n_dims < 2) r.n_dims = 0;
  r.theta_scale = std::pow(p.freq_base, -2.0f / static_cast<float>(r.n_dims > 0 ? r.n_dims : 1));
  r.freq_scale = p.freq_scale;
  r.ext_factor = p.ext_factor;
  r.attn_factor = p.attn_factor;
  r.freq_factors = p.freq_factors;
  if (p.ext_factor != 0.0f && r.n_dims > 0) {
    r.corr0 = std::fmax(0.0f, std::floor(corr_dim(r.n_dims, p.n_ctx_orig, p.beta_fast, p.freq_base)));
    r.corr1 = std::fmin(static_cast<float>(r.n_dims - 1), std::ceil(corr_dim(r.n_dims, p.n_ctx_orig, p.beta_slow, p.freq_base)));
  }
  rope_kv_kernel<<<static_cast<unsigned>(n_tokens), kThreads, 0, s>>>(q, k, v, pos, n_head, cache.n_head_kv,
                                                                       cache.head_dim, r, cache.k, cache.v, cache.f16,
                                                                       slot_mapping);
}

}  // namespace dte::cuda
