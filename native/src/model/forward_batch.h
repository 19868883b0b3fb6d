// A ForwardBatch copied off a JS object (so a forward can run after the JS call returns) and
// validated against the cache geometry and vocabulary.
#pragma once

#include <napi.h>

#include <cstdint>
#include <vector>

#include "kernels/cpu/attention.h"

namespace dte {

struct ForwardBatchCopy {
  std::vector<int32_t> tokens, positions, seq_starts, context_lens, block_tables, slot_mapping, logits_indices;
  int64_t max_blocks_per_seq = 0;
  bool want_hidden = false;

  PagedBatch paged() const;
};

/// Reads and validates batch fields. `n_vocab` < 0: no `tokens` field is read (bare attention).
/// Throws coded JS errors: DTE_ERR_NATIVE_BATCH_SHAPE (types, lengths, offsets),
/// DTE_ERR_NATIVE_BATCH_RANGE (positions, context lengths, tokens, logits indices),
/// DTE_ERR_NATIVE_BATCH_BLOCK (block ids), DTE_ERR_NATIVE_BATCH_SLOT (slots).
ForwardBatchCopy read_forward_batch(Napi::Value value, const KvCacheView& geometry, int64_t n_vocab);

}  // namespace dte
