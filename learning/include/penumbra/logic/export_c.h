#pragma once
// Emits a discretised network as one standalone C file: straight-line bitwise code, 64 samples per word.
#include <filesystem>
#include <string>

#include "penumbra/logic/discrete_network.h"

namespace penumbra::logic {

/// C source (C99, only <stdint.h>) defining
///   void logic_net_eval(const uint64_t* inputs, int* class_counts);
/// where bit k of inputs[i] is input i of sample k (inputs has LOGIC_NET_INPUTS words) and
/// class_counts[k·LOGIC_NET_CLASSES + c] receives the GroupSum count of class c for sample k (64 samples).
/// Also logic_net_predict(inputs, classes) writing 64 arg-max classes (lowest on ties).
std::string export_c(const DiscreteNetwork& network);

/// Writes export_c(network) to `path`; throws penumbra::Error when it cannot.
void write_c_file(const std::filesystem::path& path, const DiscreteNetwork& network);

}  // namespace penumbra::logic
