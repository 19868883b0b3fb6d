// Run-time CPU feature detection and the active kernel ISA. The AVX2 path needs avx2 + fma + f16c; the
// AMX path is the AVX2 path plus Intel AMX int8 tile GEMMs for quantized mat-mat, and needs AMX-TILE,
// AMX-INT8, AVX-512F/BW/VL and the OS's permission for the tile state (asked for on first check).
// Paths are ordered: every kernel of a lower path is available on a higher one. The default is the
// highest available; DTE_NATIVE_ISA=generic|avx2|amx (read on first use) or set_isa() picks another.
#pragma once

namespace dte {

enum class Isa { Generic = 0, Avx2 = 1, Amx = 2 };

/// True when `isa` includes the AVX2 kernels (avx2 and amx).
inline bool uses_avx2(Isa isa) { return isa >= Isa::Avx2; }

struct CpuFeatures {
  bool avx = false;
  bool avx2 = false;
  bool fma = false;
  bool f16c = false;
  bool avx512f = false;
  bool avx512bw = false;
  bool avx512vl = false;
  bool amx_int8 = false;  // AMX-TILE + AMX-INT8 reported by CPUID
  bool amx_os = false;    // the kernel granted this process the tile state
};

/// Features of the running CPU (detected once).
const CpuFeatures& cpu_features();
/// True when the CPU can run the given path.
bool isa_available(Isa isa);
/// The path the kernels use now.
Isa active_isa();
/// Forces a path; returns false (and changes nothing) when the CPU cannot run it.
bool set_isa(Isa isa);
/// "generic", "avx2" or "amx".
const char* isa_name(Isa isa);

}  // namespace dte
