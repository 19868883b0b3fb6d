// The paged batch check every backend runs on the host before a step (see backend/types.h).
#include <string>
#include <utility>

#include "backend/types.h"

namespace dte {

namespace {
std::string at(const char* what, int64_t i) { return std::string(what) + "[" + std::to_string(i) + "]"; }
}  // namespace

bool check_paged_batch(const KvCacheView& cache, const PagedBatch& b, BatchError* err) {
  auto fail = [&](const char* code, std::string msg) {
    err->code = code;
    err->message = std::move(msg);
    return false;
  };
  const int64_t bs = cache.block_size;
  const int64_t num_slots = cache.num_blocks * bs;
  if (b.n_tokens < 1) return fail("DTE_ERR_NATIVE_BATCH_EMPTY", "batch has no tokens");
  if (b.n_seqs < 1) return fail("DTE_ERR_NATIVE_BATCH_EMPTY", "batch has no sequences");
  if (b.max_blocks_per_seq < 1) return fail("DTE_ERR_NATIVE_BATCH_SHAPE", "maxBlocksPerSeq must be >= 1");
  if (b.seq_starts[0] != 0) return fail("DTE_ERR_NATIVE_BATCH_SHAPE", "seqStarts[0] must be 0");
  if (b.seq_starts[b.n_seqs] != b.n_tokens)
    return fail("DTE_ERR_NATIVE_BATCH_SHAPE", "seqStarts[S] must equal the number of tokens");
  for (int64_t s = 0; s < b.n_seqs; ++s) {
    if (b.seq_starts[s + 1] <= b.seq_starts[s] || b.seq_starts[s + 1] > b.n_tokens)
      return fail("DTE_ERR_NATIVE_BATCH_SHAPE", at("seqStarts", s + 1) + " must be in (seqStarts[s], tokens]");
  }
  for (int64_t s = 0; s < b.n_seqs; ++s) {
    const int64_t begin = b.seq_starts[s];
    const int64_t end = b.seq_starts[s + 1];
    const int64_t ctx = b.context_lens[s];
    if (ctx < end - begin || ctx > b.max_blocks_per_seq * bs)
      return fail("DTE_ERR_NATIVE_BATCH_RANGE",
                  at("contextLens", s) + "=" + std::to_string(ctx) + " out of range [tokens in batch, maxBlocksPerSeq*blockSize]");
    const int32_t* table = b.block_tables + s * b.max_blocks_per_seq;
    const int64_t used_blocks = (ctx + bs - 1) / bs;
    for (int64_t j = 0; j < b.max_blocks_per_seq; ++j) {
      const int64_t id = table[j];
      const bool ok = j < used_blocks ? (id >= 0 && id < cache.num_blocks) : (id >= -1 && id < cache.num_blocks);
      if (!ok)
        return fail("DTE_ERR_NATIVE_BATCH_BLOCK",
                    at("blockTables", s * b.max_blocks_per_seq + j) + "=" + std::to_string(id) +
                        " is not a block id < numBlocks=" + std::to_string(cache.num_blocks));
    }
    for (int64_t t = begin; t < end; ++t) {
      const int64_t p = b.positions[t];
      if (p < 0 || p >= ctx)
        return fail("DTE_ERR_NATIVE_BATCH_RANGE",
                    at("positions", t) + "=" + std::to_string(p) + " outside [0, contextLens[s])");
      const int64_t slot = b.slot_mapping[t];
      if (slot < 0 || slot >= num_slots)
        return fail("DTE_ERR_NATIVE_BATCH_SLOT", at("slotMapping", t) + "=" + std::to_string(slot) + " out of range");
      const int64_t expected = static_cast<int64_t>(table[p / bs]) * bs + p % bs;
      if (slot != expected)
        return fail("DTE_ERR_NATIVE_BATCH_SLOT", at("slotMapping", t) + "=" + std::to_string(slot) +
                                                      " disagrees with the block table (expected " +
                                                      std::to_string(expected) + ")");
    }
  }
  return true;
}

}  // namespace dte
