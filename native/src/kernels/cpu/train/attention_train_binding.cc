// N-API functions for training kernels (synchronous; outputs are caller-allocated Float32Arrays):
//   attentionTrainForward(q, k, v, out, probs, numSeqs, seqLen, nHead, nHeadKv, headDim)
//   attentionTrainBackward(dout, q, k, v, probs, dq, dk, dv, numSeqs, seqLen, nHead, nHeadKv, headDim)  (accumulates)
#include <napi.h>

#include "bindings/args.h"
#include "bindings/registry.h"
#include "kernels/cpu/train/attention_train.h"

namespace dte {

namespace {

constexpr int64_t kMaxDim = int64_t{1} << 24;

AttentionTrainShape shape_at(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  AttentionTrainShape s{};
  s.num_seqs = args::integer(info, i, usage, 1, kMaxDim);
  s.seq_len = args::integer(info, i + 1, usage, 1, 1 << 16);
  s.n_head = args::integer(info, i + 2, usage, 1, 4096);
  s.n_head_kv = args::integer(info, i + 3, usage, 1, 4096);
  s.head_dim = args::integer(info, i + 4, usage, 1, 4096);
  if (s.n_head % s.n_head_kv != 0) args::fail(info.Env(), usage, "nHead must be a multiple of nHeadKv");
  const double probs = static_cast<double>(s.num_seqs) * s.n_head * s.seq_len * s.seq_len;
  const double tokens = static_cast<double>(s.num_seqs) * s.seq_len * s.n_head * s.head_dim;
  if (probs > 4294967296.0 || tokens > 4294967296.0) args::fail(info.Env(), usage, "shapes too large");
  return s;
}

Napi::Value Forward(const Napi::CallbackInfo& info) {
  static const char* usage = "attentionTrainForward(q, k, v, out, probs, numSeqs, seqLen, nHead, nHeadKv, headDim)";
  args::need(info, 10, usage);
  const AttentionTrainShape s = shape_at(info, 5, usage);
  const int64_t t = s.num_seqs * s.seq_len;
  Napi::Float32Array q = args::f32(info, 0, usage, t * s.n_head * s.head_dim);
  Napi::Float32Array k = args::f32(info, 1, usage, t * s.n_head_kv * s.head_dim);
  Napi::Float32Array v = args::f32(info, 2, usage, t * s.n_head_kv * s.head_dim);
  Napi::Float32Array out = args::f32(info, 3, usage, t * s.n_head * s.head_dim);
  Napi::Float32Array probs = args::f32(info, 4, usage, s.num_seqs * s.n_head * s.seq_len * s.seq_len);
  attention_train_forward(q.Data(), k.Data(), v.Data(), s, out.Data(), probs.Data());
  return info.Env().Undefined();
}

Napi::Value Backward(const Napi::CallbackInfo& info) {
  static const char* usage =
      "attentionTrainBackward(dout, q, k, v, probs, dq, dk, dv, numSeqs, seqLen, nHead, nHeadKv, headDim)";
  args::need(info, 13, usage);
  const AttentionTrainShape s = shape_at(info, 8, usage);
  const int64_t t = s.num_seqs * s.seq_len;
  const int64_t nq = t * s.n_head * s.head_dim;
  const int64_t nkv = t * s.n_head_kv * s.head_dim;
  Napi::Float32Array dout = args::f32(info, 0, usage, nq);
  Napi::Float32Array q = args::f32(info, 1, usage, nq);
  Napi::Float32Array k = args::f32(info, 2, usage, nkv);
  Napi::Float32Array v = args::f32(info, 3, usage, nkv);
  Napi::Float32Array probs = args::f32(info, 4, usage, s.num_seqs * s.n_head * s.seq_len * s.seq_len);
  Napi::Float32Array dq = args::f32(info, 5, usage, nq);
  Napi::Float32Array dk = args::f32(info, 6, usage, nkv);
  Napi::Float32Array dv = args::f32(info, 7, usage, nkv);
  attention_train_backward(dout.Data(), q.Data(), k.Data(), v.Data(), probs.Data(), s, dq.Data(), dk.Data(),
                           dv.Data());
  return info.Env().Undefined();
}

void init_train_bindings(Napi::Env env, Napi::Object exports) {
  exports.Set("attentionTrainForward", Napi::Function::New(env, Forward, "attentionTrainForward"));
  exports.Set("attentionTrainBackward", Napi::Function::New(env, Backward, "attentionTrainBackward"));
}

BindingRegistrar registrar(&init_train_bindings);

}  // namespace

}  // namespace dte
