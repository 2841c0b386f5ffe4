#pragma once
// Shared by the CUDA backend's tests: a fixture that skips, saying why, when no CUDA device can run the
// backend, and the parity check against the CPU reference on a fresh CUDA renderer.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "backend_parity.h"
#include "cuda/cuda_device.h"

namespace penumbra::test {

class CudaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string reason = detail::cuda_unavailable_reason();
    if (!reason.empty()) GTEST_SKIP() << "no CUDA device: " << reason;
  }
};

}  // namespace penumbra::test
