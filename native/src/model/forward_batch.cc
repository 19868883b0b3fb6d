#include "model/forward_batch.h"

#include <string>

#include "bindings/args.h"

namespace dte {

namespace {
constexpr const char* kShape = "DTE_ERR_NATIVE_BATCH_SHAPE";
constexpr const char* kRange = "DTE_ERR_NATIVE_BATCH_RANGE";
constexpr int64_t kMaxInt32 = 2147483647;
}  // namespace

PagedBatch ForwardBatchCopy::paged() const {
  return PagedBatch{static_cast<int64_t>(positions.size()),
                    static_cast<int64_t>(context_lens.size()),
                    positions.data(),
                    seq_starts.data(),
                    context_lens.data(),
                    block_tables.data(),
                    max_blocks_per_seq,
                    slot_mapping.data()};
}

ForwardBatchCopy read_forward_batch(Napi::Value value, const KvCacheView& geometry, int64_t n_vocab) {
  Napi::Env env = value.Env();
  if (!value.IsObject()) args::throw_coded(env, kShape, "batch must be an object");
  Napi::Object o = value.As<Napi::Object>();
  ForwardBatchCopy b;
  const bool with_tokens = n_vocab >= 0;
  if (with_tokens) b.tokens = args::copy_int32(o, "tokens", -1, kShape, "batch");
  b.positions = args::copy_int32(o, "positions", with_tokens ? static_cast<int64_t>(b.tokens.size()) : -1, kShape, "batch");
  const int64_t n_tokens = static_cast<int64_t>(b.positions.size());
  if (n_tokens < 1) args::throw_coded(env, kShape, "batch has no tokens");
  b.seq_starts = args::copy_int32(o, "seqStarts", -1, kShape, "batch");
  const int64_t n_seqs = static_cast<int64_t>(b.seq_starts.size()) - 1;
  if (n_seqs < 1) args::throw_coded(env, kShape, "batch.seqStarts needs at least 2 elements");
  b.context_lens = args::copy_int32(o, "contextLens", n_seqs, kShape, "batch");
  b.max_blocks_per_seq = args::get_int(o, "maxBlocksPerSeq", 1, kMaxInt32, kShape, "batch");
  if (n_seqs * b.max_blocks_per_seq > kMaxInt32) args::throw_coded(env, kShape, "batch.blockTables too large");
  b.block_tables = args::copy_int32(o, "blockTables", n_seqs * b.max_blocks_per_seq, kShape, "batch");
  b.slot_mapping = args::copy_int32(o, "slotMapping", n_tokens, kShape, "batch");
  if (with_tokens) {
    b.logits_indices = args::copy_int32(o, "logitsIndices", -1, kShape, "batch");
    if (b.logits_indices.size() > b.tokens.size())
      args::throw_coded(env, kShape, "batch.logitsIndices has more entries than batch.tokens");
    b.want_hidden = args::get_bool(o, "wantHidden", false, kShape, "batch");
    for (size_t i = 0; i < b.tokens.size(); ++i)
      if (b.tokens[i] < 0 || b.tokens[i] >= n_vocab)
        args::throw_coded(env, kRange,
                        "batch.tokens[" + std::to_string(i) + "]=" + std::to_string(b.tokens[i]) + " outside [0, nVocab)");
    for (size_t i = 0; i < b.logits_indices.size(); ++i)
      if (b.logits_indices[i] < 0 || b.logits_indices[i] >= n_tokens)
        args::throw_coded(env, kRange,
                        "batch.logitsIndices[" + std::to_string(i) + "]=" + std::to_string(b.logits_indices[i]) +
                            " outside [0, tokens.length)");
  }
  BatchError err;
  if (!check_paged_batch(geometry, b.paged(), &err)) args::throw_coded(env, err.code, "batch: " + err.message);
  return b;
}

}  // namespace dte
