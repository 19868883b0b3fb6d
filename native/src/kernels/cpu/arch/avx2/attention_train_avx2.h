// AVX2/FMA bodies of causal training attention, one (sequence, head) per call (call only when
// isa_available(Isa::Avx2)); shapes and semantics in train/attention_train_head.h.
#pragma once
#include "kernels/cpu/train/attention_train_head.h"

namespace dte::avx2 {
void attention_head_forward(const AttentionTrainHead& a);
/// Accumulates into dq, dk, dv; dp is scratch of seq_len floats.
void attention_head_backward(const AttentionTrainHead& a, float* dp);
}  // namespace dte::avx2
