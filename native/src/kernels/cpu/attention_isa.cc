#include "kernels/cpu/attention_isa.h"

#include "core/cpu_features.h"

namespace dte {

detail::AttendBlockFn attend_block_fn() {
  return uses_avx2(active_isa()) ? &avx2::attend_block : &detail::attend_block_generic;
}

detail::WidenRowsFn widen_rows_fn() {
  return uses_avx2(active_isa()) ? &avx2::widen_rows : &detail::widen_rows_generic;
}

detail::NarrowFn narrow_fn() { return uses_avx2(active_isa()) ? &avx2::narrow : &detail::narrow_generic; }

}  // namespace dte
