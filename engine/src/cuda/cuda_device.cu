#include "cuda/cuda_device.h"

#include <cuda_runtime_api.h>

#include "cuda/cuda_check.h"

namespace penumbra::detail {
namespace {

// Asking for a kernel's attributes fails when the build holds no code for the device's architecture.
__global__ void architecture_probe_kernel() {}

int fp32_lanes(int major, int minor) {
  if (major < 8 || (major == 8 && minor == 0)) return 64;
  return 128;
}

}  // namespace

std::string CudaDeviceInfo::description() const {
  return name + " (compute " + std::to_string(compute_major) + "." + std::to_string(compute_minor) + ", " +
         std::to_string(multiprocessors) + " SMs)";
}

std::string cuda_unavailable_reason() {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) {
    cudaGetLastError();
    return std::string("no usable CUDA driver or device: ") + cudaGetErrorName(status) + " (" +
           cudaGetErrorString(status) + ")";
  }
  if (count == 0) return "the CUDA driver reports no device";
  cudaFuncAttributes attributes{};
  const cudaError_t probe = cudaFuncGetAttributes(&attributes, architecture_probe_kernel);
  if (probe != cudaSuccess) {
    cudaGetLastError();
    const CudaDeviceInfo info = cuda_device_info();
    return "this build has no CUDA code for " + info.description() + ": " + cudaGetErrorString(probe) +
           "; rebuild with CMAKE_CUDA_ARCHITECTURES including " + std::to_string(info.compute_major) +
           std::to_string(info.compute_minor);
  }
  return {};
}

CudaDeviceInfo cuda_device_info() {
  int device = 0;
  PN_CUDA_CHECK(cudaGetDevice(&device));
  cudaDeviceProp properties{};
  PN_CUDA_CHECK(cudaGetDeviceProperties(&properties, device));
  int clock_khz = 0;
  PN_CUDA_CHECK(cudaDeviceGetAttribute(&clock_khz, cudaDevAttrClockRate, device));
  CudaDeviceInfo info;
  info.name = properties.name;
  info.compute_major = properties.major;
  info.compute_minor = properties.minor;
  info.multiprocessors = properties.multiProcessorCount;
  info.fp32_lanes_per_multiprocessor = fp32_lanes(properties.major, properties.minor);
  info.clock_hz = clock_khz * 1e3;
  return info;
}

}  // namespace penumbra::detail
