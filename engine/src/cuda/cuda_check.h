#pragma once
// Every CUDA runtime call goes through PN_CUDA_CHECK, in every build: a failure throws penumbra::Error with
// the call, the CUDA error's name and text, and the file:line of the call.
#include <cstddef>
#include <string>

#include <cuda_runtime_api.h>

#include "penumbra/error.h"

namespace penumbra::detail {

[[noreturn]] inline void throw_cuda_error(cudaError_t status, const char* call, const char* file, int line) {
  // Clears a non-sticky error so that the device stays usable after the exception.
  cudaGetLastError();
  throw Error(
      std::string(call) + " failed: " + cudaGetErrorName(status) + " (" + cudaGetErrorString(status) + ")",
      std::string(file) + ":" + std::to_string(line),
      "check the GPU with nvidia-smi; use --backend cpu or vulkan to render without CUDA");
}

inline void check_cuda(cudaError_t status, const char* call, const char* file, int line) {
  if (status != cudaSuccess) throw_cuda_error(status, call, file, line);
}

}  // namespace penumbra::detail

#define PN_CUDA_CHECK(call) ::penumbra::detail::check_cuda((call), #call, __FILE__, __LINE__)
/// Checks the launch of the kernel just issued (bad configuration, missing kernel image).
#define PN_CUDA_CHECK_LAUNCH() \
  ::penumbra::detail::check_cuda(cudaGetLastError(), "kernel launch", __FILE__, __LINE__)
