// N-API functions for training kernels (synchronous; outputs are caller-allocated Float32Arrays, dense
// row-major; "accumulates" means the output is added to, not overwritten):
//   attentionTrainForward(q, k, v, out, probs, numSeqs, seqLen, nHead, nHeadKv, headDim)
//   attentionTrainBackward(dout, q, k, v, probs, dq, dk, dv, numSeqs, seqLen, nHead, nHeadKv, headDim)  (accumulates)
//   gemmF32(transA, transB, m, n, k, a, b, c, accumulate): c [m][n] (+)= op(a)·op(b); a is [m][k] or, with
//       transA, [k][m]; b is [k][n] or, with transB, [n][k]; c may not overlap a or b
//   rmsNormBackward(dy, x, w, m, n, eps, dx, dw)  (accumulates dx, dw)
//   siluMulBackward(dout, gate, up, dgate, dup)  (accumulates; n = gate.length)
//   crossEntropy(logits, targets, m, v, dlogits) -> mean loss over targets >= 0 (dlogits overwritten)
#include <napi.h>

#include "bindings/args.h"
#include "bindings/registry.h"
#include "kernels/cpu/train/attention_train.h"
#include "kernels/cpu/train/gemm_f32.h"
#include "kernels/cpu/train/ops_train.h"

namespace dte {

namespace {

constexpr int64_t kMaxDim = int64_t{1} << 24;

// Rejects a product of dimensions (an array's element count) above 2^32.
void check_size(const Napi::CallbackInfo& info, const char* usage, double a, double b) {
  if (a * b > 4294967296.0) args::fail(info.Env(), usage, "shapes too large");
}

AttentionTrainShape shape_at(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  AttentionTrainShape s{};
  s.num_seqs = args::integer(info, i, usage, 1, kMaxDim);
  s.seq_len = args::integer(info, i + 1, usage, 1, 1 << 16);
  s.n_head = args::integer(info, i + 2, usage, 1, 4096);
  s.n_head_kv = args::integer(info, i + 3, usage, 1, 4096);
  s.head_dim = args::integer(info, i + 4, usage, 1, 4096);
  if (s.n_head % s.n_head_kv != 0) args::fail(info.Env(), usage, "nHead must be a multiple of nHeadKv");
  check_size(info, usage, static_cast<double>(s.num_seqs) * s.n_head, static_cast<double>(s.seq_len) * s.seq_len);
  check_size(info, usage, static_cast<double>(s.num_seqs) * s.seq_len, static_cast<double>(s.n_head) * s.head_dim);
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

bool overlaps(const Napi::Float32Array& a, const Napi::Float32Array& b) {
  const float* a0 = a.Data();
  const float* b0 = b.Data();
  return a0 < b0 + b.ElementLength() && b0 < a0 + a.ElementLength();
}

Napi::Value Gemm(const Napi::CallbackInfo& info) {
  static const char* usage = "gemmF32(transA, transB, m, n, k, a, b, c, accumulate)";
  args::need(info, 9, usage);
  const bool ta = args::boolean(info, 0, usage);
  const bool tb = args::boolean(info, 1, usage);
  const int64_t m = args::integer(info, 2, usage, 1, kMaxDim);
  const int64_t n = args::integer(info, 3, usage, 1, kMaxDim);
  const int64_t k = args::integer(info, 4, usage, 1, kMaxDim);
  check_size(info, usage, m, k);
  check_size(info, usage, k, n);
  check_size(info, usage, m, n);
  Napi::Float32Array a = args::f32(info, 5, usage, m * k);
  Napi::Float32Array b = args::f32(info, 6, usage, k * n);
  Napi::Float32Array c = args::f32(info, 7, usage, m * n);
  const bool acc = args::boolean(info, 8, usage);
  if (overlaps(c, a) || overlaps(c, b)) args::fail(info.Env(), usage, "c may not overlap a or b");
  gemm_f32(ta, tb, m, n, k, a.Data(), ta ? m : k, b.Data(), tb ? k : n, acc, c.Data(), n);
  return info.Env().Undefined();
}

Napi::Value RmsNormBackward(const Napi::CallbackInfo& info) {
  static const char* usage = "rmsNormBackward(dy, x, w, m, n, eps, dx, dw)";
  args::need(info, 8, usage);
  const int64_t m = args::integer(info, 3, usage, 1, kMaxDim);
  const int64_t n = args::integer(info, 4, usage, 1, kMaxDim);
  check_size(info, usage, m, n);
  const double eps = args::number(info, 5, usage);
  if (eps < 0) args::fail(info.Env(), usage, "eps must be >= 0");
  Napi::Float32Array dy = args::f32(info, 0, usage, m * n);
  Napi::Float32Array x = args::f32(info, 1, usage, m * n);
  Napi::Float32Array w = args::f32(info, 2, usage, n);
  Napi::Float32Array dx = args::f32(info, 6, usage, m * n);
  Napi::Float32Array dw = args::f32(info, 7, usage, n);
  rms_norm_backward(dy.Data(), x.Data(), w.Data(), m, n, static_cast<float>(eps), dx.Data(), dw.Data());
  return info.Env().Undefined();
}

Napi::Value SiluMulBackward(const Napi::CallbackInfo& info) {
  static const char* usage = "siluMulBackward(dout, gate, up, dgate, dup)";
  args::need(info, 5, usage);
  Napi::Float32Array gate = args::f32(info, 1, usage, 0);
  const int64_t n = static_cast<int64_t>(gate.ElementLength());
  Napi::Float32Array dout = args::f32(info, 0, usage, n);
  Napi::Float32Array up = args::f32(info, 2, usage, n);
  Napi::Float32Array dgate = args::f32(info, 3, usage, n);
  Napi::Float32Array dup = args::f32(info, 4, usage, n);
  silu_mul_backward(dout.Data(), gate.Data(), up.Data(), n, dgate.Data(), dup.Data());
  return info.Env().Undefined();
}

Napi::Value CrossEntropy(const Napi::CallbackInfo& info) {
  static const char* usage = "crossEntropy(logits, targets, m, v, dlogits)";
  args::need(info, 5, usage);
  const int64_t m = args::integer(info, 2, usage, 1, kMaxDim);
  const int64_t v = args::integer(info, 3, usage, 1, kMaxDim);
  check_size(info, usage, m, v);
  Napi::Float32Array logits = args::f32(info, 0, usage, m * v);
  Napi::Int32Array targets = args::i32(info, 1, usage, m);
  Napi::Float32Array dlogits = args::f32(info, 4, usage, m * v);
  if (overlaps(dlogits, logits)) args::fail(info.Env(), usage, "dlogits may not overlap logits");
  const int32_t* t = targets.Data();
  for (int64_t i = 0; i < m; ++i)
    if (t[i] >= v) args::fail(info.Env(), usage, "targets must be < v (or negative: not scored)");
  return Napi::Number::New(info.Env(), cross_entropy(logits.Data(), t, m, v, dlogits.Data()));
}

void init_train_bindings(Napi::Env env, Napi::Object exports) {
  exports.Set("attentionTrainForward", Napi::Function::New(env, Forward, "attentionTrainForward"));
  exports.Set("attentionTrainBackward", Napi::Function::New(env, Backward, "attentionTrainBackward"));
  exports.Set("gemmF32", Napi::Function::New(env, Gemm, "gemmF32"));
  exports.Set("rmsNormBackward", Napi::Function::New(env, RmsNormBackward, "rmsNormBackward"));
  exports.Set("siluMulBackward", Napi::Function::New(env, SiluMulBackward, "siluMulBackward"));
  exports.Set("crossEntropy", Napi::Function::New(env, CrossEntropy, "crossEntropy"));
}

BindingRegistrar registrar(&init_train_bindings);

}  // namespace

}  // namespace dte
