// Run-time CPU feature detection and the active kernel ISA. The AVX2 path needs avx2 + fma + f16c;
// DTE_NATIVE_ISA=generic|avx2 (read on first use) or set_isa() forces a path.
#pragma once

namespace dte {

enum class Isa { Generic = 0, Avx2 = 1 };

struct CpuFeatures {
  bool avx = false;
  bool avx2 = false;
  bool fma = false;
  bool f16c = false;
  bool avx512f = false;
};

/// Features of the running CPU (detected once).
const CpuFeatures& cpu_features();
/// True when the CPU can run the given path.
bool isa_available(Isa isa);
/// The path the kernels use now.
Isa active_isa();
/// Forces a path; returns false (and changes nothing) when the CPU cannot run it.
bool set_isa(Isa isa);
/// "generic" or "avx2".
const char* isa_name(Isa isa);

}  // namespace dte
