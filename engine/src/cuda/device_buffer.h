#pragma once
// A device array that owns its memory and only grows: reserve() reallocates when a call needs more than it
// holds and otherwise does nothing, so steady-state forward/backward calls allocate nothing.
#include <cstddef>
#include <string>
#include <utility>

#include <cuda_runtime_api.h>

#include "cuda/cuda_check.h"

namespace penumbra::detail {

template <class T>
class DeviceBuffer {
 public:
  /// `name` says what the buffer holds, for the out-of-memory message.
  explicit DeviceBuffer(std::string name) : name_(std::move(name)) {}
  ~DeviceBuffer() { release(); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  /// Makes room for `count` elements; the contents are undefined after a reallocation.
  void reserve(std::size_t count) {
    if (count <= capacity_) return;
    release();
    // Grow by half again so that slowly growing sizes do not reallocate on every call.
    const std::size_t wanted = count + count / 2;
    const std::size_t bytes = wanted * sizeof(T);
    const cudaError_t status = cudaMalloc(reinterpret_cast<void**>(&data_), bytes);
    if (status == cudaErrorMemoryAllocation) {
      cudaGetLastError();
      data_ = nullptr;
      throw Error("out of GPU memory: allocating " + std::to_string(bytes) + " bytes for " + name_,
                  "CUDA backend", "lower the image size, the number of views or faces, or sigma");
    }
    check_cuda(status, "cudaMalloc", __FILE__, __LINE__);
    capacity_ = wanted;
  }

  T* data() { return data_; }
  const T* data() const { return data_; }
  std::size_t capacity() const { return capacity_; }

 private:
  void release() {
    // cudaFree only fails for a broken context; a destructor cannot report it, and the memory goes with it.
    if (data_ != nullptr) cudaFree(data_);
    data_ = nullptr;
    capacity_ = 0;
  }

  std::string name_;
  T* data_ = nullptr;
  std::size_t capacity_ = 0;
};

}  // namespace penumbra::detail
