#include "core/cpu_features.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) && defined(__linux__)
#include <cpuid.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace dte {

const CpuFeatures& cpu_features() {
  static const CpuFeatures f = [] {
    CpuFeatures c;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    c.avx = __builtin_cpu_supports("avx");
    c.avx2 = __builtin_cpu_supports("avx2");
    c.fma = __builtin_cpu_supports("fma");
    c.f16c = __builtin_cpu_supports("f16c");
    c.avx512f = __builtin_cpu_supports("avx512f");
    c.avx512bw = __builtin_cpu_supports("avx512bw");
    c.avx512vl = __builtin_cpu_supports("avx512vl");
#endif
#if defined(__x86_64__) && defined(__linux__)
    unsigned a = 0, b = 0, cx = 0, d = 0;
    if (__get_cpuid_count(7, 0, &a, &b, &cx, &d) != 0) {
      c.amx_int8 = ((d >> 24) & 1U) != 0 && ((d >> 25) & 1U) != 0;  // AMX-TILE, AMX-INT8
    }
    if (c.amx_int8) {
      // Linux hands out the 8 KiB tile state only on request (ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA).
      constexpr long kReqXcompPerm = 0x1023;
      constexpr long kXfeatureXtiledata = 18;
      c.amx_os = syscall(SYS_arch_prctl, kReqXcompPerm, kXfeatureXtiledata) == 0;
    }
#endif
    return c;
  }();
  return f;
}

bool isa_available(Isa isa) {
  if (isa == Isa::Generic) return true;
  const CpuFeatures& f = cpu_features();
  const bool avx2 = f.avx2 && f.fma && f.f16c;
  if (isa == Isa::Avx2) return avx2;
  return avx2 && f.avx512f && f.avx512bw && f.avx512vl && f.amx_int8 && f.amx_os;
}

namespace {
Isa initial_isa() {
  const char* env = std::getenv("DTE_NATIVE_ISA");
  if (env != nullptr && std::strcmp(env, "generic") == 0) return Isa::Generic;
  if (env != nullptr && std::strcmp(env, "avx2") == 0 && isa_available(Isa::Avx2)) return Isa::Avx2;
  if (isa_available(Isa::Amx)) return Isa::Amx;
  return isa_available(Isa::Avx2) ? Isa::Avx2 : Isa::Generic;
}

std::atomic<int>& isa_state() {
  static std::atomic<int> state{static_cast<int>(initial_isa())};
  return state;
}
}  // namespace

Isa active_isa() { return static_cast<Isa>(isa_state().load(std::memory_order_relaxed)); }

bool set_isa(Isa isa) {
  if (!isa_available(isa)) return false;
  isa_state().store(static_cast<int>(isa), std::memory_order_relaxed);
  return true;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::Amx: return "amx";
    case Isa::Avx2: return "avx2";
    default: return "generic";
  }
}

}  // namespace dte
