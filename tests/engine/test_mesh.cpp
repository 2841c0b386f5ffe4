// Meshes: generated icospheres, normalisation, OBJ/OFF/STL loading and saving, and a clear penumbra::Error
// (never a crash) for every malformed file of Debian's assimp-testmodels invalid/ folder.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "penumbra/error.h"
#include "penumbra/mesh.h"

namespace penumbra {
namespace {

namespace fs = std::filesystem;

const fs::path kInvalidModels = "/usr/share/assimp/models/invalid";

fs::path temp_file(const std::string& name, const std::string& content) {
  const fs::path path = fs::temp_directory_path() / ("penumbra_test_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(path) << content;
  return path;
}

TEST(Icosphere, CountsAndOutwardWinding) {
  for (int level = 0; level <= 4; ++level) {
    const Mesh mesh = icosphere(level);
    EXPECT_EQ(mesh.triangles.size(), 20u << (2 * level));
    EXPECT_EQ(mesh.positions.size(), 10u * (1u << (2 * level)) + 2);
    for (const auto& t : mesh.triangles) {
      const glm::vec3 a = mesh.positions[t.x], b = mesh.positions[t.y], c = mesh.positions[t.z];
      EXPECT_GT(glm::dot(glm::cross(b - a, c - a), a + b + c), 0.0f) << "face winds inwards";
    }
    for (const auto& p : mesh.positions) EXPECT_NEAR(glm::length(p), 1.0f, 1e-5f);
  }
  EXPECT_THROW(icosphere(-1), Error);
  EXPECT_THROW(icosphere(12), Error);
}

TEST(Mesh, NormalizeToUnitSphere) {
  Mesh mesh = icosphere(1);
  for (auto& p : mesh.positions) p = p * 3.0f + glm::vec3(5, -2, 1);
  normalize_to_unit_sphere(mesh);
  float radius = 0;
  for (const auto& p : mesh.positions) radius = std::max(radius, glm::length(p));
  EXPECT_NEAR(radius, 1.0f, 1e-5f);
}

TEST(MeshIo, ObjRoundTripKeepsPositionsTrianglesAndColours) {
  Mesh mesh = icosphere(1);
  for (const auto& p : mesh.positions) mesh.colors.push_back(0.5f * p + 0.5f);
  const fs::path path = fs::temp_directory_path() / "penumbra_roundtrip.obj";
  save_obj(mesh, path);
  const Mesh loaded = load_mesh(path);
  ASSERT_EQ(loaded.positions.size(), mesh.positions.size());
  ASSERT_EQ(loaded.triangles, mesh.triangles);
  ASSERT_EQ(loaded.colors.size(), mesh.colors.size());
  for (std::size_t v = 0; v < mesh.positions.size(); ++v) {
    EXPECT_NEAR(glm::length(loaded.positions[v] - mesh.positions[v]), 0.0f, 1e-5f);
    EXPECT_NEAR(glm::length(loaded.colors[v] - mesh.colors[v]), 0.0f, 1e-5f);
  }
  fs::remove(path);
}

TEST(MeshIo, OffAndAsciiStlAndQuadsAreTriangulated) {
  const Mesh off = load_mesh(temp_file("quad.off", "OFF\n# a quad\n4 1 0\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n4 0 1 2 3\n"));
  EXPECT_EQ(off.triangles.size(), 2u);
  const Mesh stl = load_mesh(temp_file("tri.stl",
                                       "solid t\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\n"
                                       "vertex 0 1 0\nendloop\nendfacet\nendsolid t\n"));
  EXPECT_EQ(stl.triangles.size(), 1u);
}

TEST(MeshIo, RealModelsFromAssimpLoad) {
  const fs::path box = "/usr/share/assimp/models/OBJ/box.obj";
  if (!fs::exists(box)) GTEST_SKIP() << "assimp-testmodels is not installed (scripts/setup installs it)";
  const Mesh mesh = load_mesh(box);
  EXPECT_EQ(mesh.triangles.size(), 12u);
}

TEST(MeshIo, EveryInvalidAssimpModelIsAClearError) {
  if (!fs::exists(kInvalidModels)) GTEST_SKIP() << "assimp-testmodels is not installed (scripts/setup installs it)";
  int files = 0;
  for (const auto& entry : fs::directory_iterator(kInvalidModels)) {
    if (entry.path().filename() == "readme.txt") continue;
    ++files;
    try {
      load_mesh(entry.path());
      ADD_FAILURE() << entry.path() << " loaded without an error";
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find(entry.path().filename().string()), std::string::npos)
          << "the error should name the file: " << error.what();
    }
  }
  EXPECT_GE(files, 10);
}

TEST(MeshIo, MalformedContentIsAClearError) {
  const std::pair<std::string, std::string> cases[] = {
      {"nan.obj", "v 0 0 0\nv 1 0 nan\nv 0 1 0\nf 1 2 3\n"},
      {"range.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 9\n"},
      {"noface.obj", "v 0 0 0\nv 1 0 0\n"},
      {"short.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n"},
      {"huge.off", "OFF\n99999999999 1 0\n0 0 0\n"},
      {"badindex.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 7\n"},
      {"garbage.stl", "this is not an stl"},
      {"mesh.ply", "ply\n"},
  };
  for (const auto& [name, content] : cases) {
    EXPECT_THROW(load_mesh(temp_file(name, content)), Error) << name;
  }
  EXPECT_THROW(load_mesh("/nonexistent/file.obj"), Error);
}

}  // namespace
}  // namespace penumbra
