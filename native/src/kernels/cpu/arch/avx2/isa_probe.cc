// Marker so the AVX2 library is never empty; returns 1 when built with AVX2+FMA.
namespace dte::avx2 {
int compiled_with_avx2() {
#if defined(__AVX2__) && defined(__FMA__)
  return 1;
#else
  return 0;
#endif
}
}  // namespace dte::avx2
