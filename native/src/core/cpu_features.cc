#include "core/cpu_features.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

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
#endif
    return c;
  }();
  return f;
}

bool isa_available(Isa isa) {
  if (isa == Isa::Generic) return true;
  const CpuFeatures& f = cpu_features();
  return f.avx2 && f.fma && f.f16c;
}

namespace {
Isa initial_isa() {
  const char* env = std::getenv("DTE_NATIVE_ISA");
  if (env != nullptr && std::strcmp(env, "generic") == 0) return Isa::Generic;
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

const char* isa_name(Isa isa) { return isa == Isa::Avx2 ? "avx2" : "generic"; }

}  // namespace dte
