// Picks the attention block kernel for this CPU (AVX2+FMA when present and not forced generic).
#pragma once

#include "kernels/cpu/attention.h"

namespace dte {

/// The attend-block kernel for the active ISA.
detail::AttendBlockFn attend_block_fn();
/// f16 → f32 row widening for the active ISA.
detail::WidenRowsFn widen_rows_fn();
/// f32 → f16 rounding for the active ISA.
detail::NarrowFn narrow_fn();

}  // namespace dte
