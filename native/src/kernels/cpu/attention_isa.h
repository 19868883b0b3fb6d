// Picks the attention block kernel for this CPU (AVX2+FMA when present and not forced generic).
#pragma once

#include "kernels/cpu/attention.h"

namespace dte {

/// The attend-block kernel for the active ISA.
detail::AttendBlockFn attend_block_fn();

}  // namespace dte
