#pragma once
// Small meshes the learning tests share.
#include <filesystem>
#include <string>

#include "penumbra/mesh.h"

namespace penumbra::test {

/// An axis-aligned cube of half-size `half`, 12 counter-clockwise triangles.
inline Mesh cube_mesh(float half = 0.55f) {
  Mesh mesh;
  for (int i = 0; i < 8; ++i) {
    mesh.positions.push_back(half *
                             glm::vec3(i & 1 ? 1.0f : -1.0f, i & 2 ? 1.0f : -1.0f, i & 4 ? 1.0f : -1.0f));
  }
  mesh.triangles = {{0, 2, 1}, {1, 2, 3}, {4, 5, 6}, {5, 7, 6}, {0, 1, 4}, {1, 5, 4},
                    {2, 6, 3}, {3, 6, 7}, {0, 4, 2}, {2, 4, 6}, {1, 3, 5}, {3, 7, 5}};
  return mesh;
}

/// A fresh empty folder under the system temporary folder.
inline std::filesystem::path fresh_folder(const std::string& name) {
  const std::filesystem::path folder = std::filesystem::temp_directory_path() / ("penumbra_learning_" + name);
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

}  // namespace penumbra::test
