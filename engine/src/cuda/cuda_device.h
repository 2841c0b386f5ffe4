#pragma once
// Whether this machine can run the CUDA backend, and what its GPU is. Plain C++: callable from code that does
// not include CUDA headers (backend selection, tests, benchmarks).
#include <string>

namespace penumbra::detail {

/// Empty when the current CUDA device can run this build's kernels; otherwise why not (no driver, no
/// device, an architecture the build does not cover).
std::string cuda_unavailable_reason();

struct CudaDeviceInfo {
  std::string name;  ///< e.g. "NVIDIA H100 80GB HBM3"
  int compute_major = 0, compute_minor = 0;
  int multiprocessors = 0;
  int fp32_lanes_per_multiprocessor =
      0;                ///< from the compute capability (64 on sm_80, 128 on sm_86 and later)
  double clock_hz = 0;  ///< peak SM clock
  /// Peak FP32 rate in FLOP/s, an FMA counted as two.
  double fp32_peak_flops() const { return 2.0 * multiprocessors * fp32_lanes_per_multiprocessor * clock_hz; }
  /// "NVIDIA H100 80GB HBM3 (compute 9.0, 132 SMs)"
  std::string description() const;
};

/// The current CUDA device; throws penumbra::Error when there is none.
CudaDeviceInfo cuda_device_info();

}  // namespace penumbra::detail
