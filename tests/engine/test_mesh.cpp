// Meshes: generated icospheres, normalisation, OBJ (with its MTL texture), PLY (ASCII and binary of both byte
// orders), glTF/GLB, OFF and STL loading, OBJ/PLY saving, texture baking, and a clear penumbra::Error (never a
// crash) for every malformed file of Debian's assimp-testmodels. Oracles: values written by the test itself,
// the published contents of the assimp samples (a 12-triangle box), and renders that must cover pixels.
#include <gtest/gtest.h>

#include <bit>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "penumbra/error.h"
#include "penumbra/mesh.h"
#include "penumbra/renderer.h"

namespace penumbra::test {
namespace {

namespace fs = std::filesystem;

const fs::path kInvalidModels = "/usr/share/assimp/models/invalid";
const fs::path kModels = "/usr/share/assimp/models";

fs::path temp_file(const std::string& name, const std::string& content) {
  const fs::path path =
      fs::temp_directory_path() / ("penumbra_test_" + std::to_string(::getpid()) + "_" + name);
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

TEST(Mesh, NormalizeToUnitSphereRecordsAnInvertibleTransform) {
  Mesh mesh = icosphere(1);
  for (auto& p : mesh.positions) p = p * 3.0f + glm::vec3(5, -2, 1);
  const Mesh original = mesh;
  const Normalization normalization = normalize_to_unit_sphere(mesh);
  float radius = 0;
  for (const auto& p : mesh.positions) radius = std::max(radius, glm::length(p));
  EXPECT_NEAR(radius, 1.0f, 1e-5f);
  EXPECT_NEAR(normalization.scale, 1.0f / 3.0f, 1e-5f);
  EXPECT_NEAR(glm::length(normalization.center - glm::vec3(5, -2, 1)), 0.0f, 1e-5f);
  normalization.restore(mesh);
  for (std::size_t v = 0; v < mesh.positions.size(); ++v) {
    EXPECT_NEAR(glm::length(mesh.positions[v] - original.positions[v]), 0.0f, 1e-5f);
  }
}

TEST(Mesh, CamerasMovedToTheOriginalFrameSeeTheSameImages) {
  Mesh original = icosphere(2);
  for (auto& p : original.positions) p = p * glm::vec3(5.0f, 3.0f, 4.0f) + glm::vec3(7, -2, 1);
  Mesh normalised = original;
  const Normalization normalization = normalize_to_unit_sphere(normalised);
  Camera orthographic = Camera::orbit(-40.0f, 10.0f, 3.0f);
  orthographic.projection = Projection::orthographic;
  const std::vector<Camera> cameras = {Camera::orbit(30.0f, 20.0f, 3.0f, 40.0f),
                                       Camera::from_pose({0.2f, 0.4f, -0.1f}, {0.1f, 0.0f, 3.0f}, 35.0f),
                                       orthographic};
  std::vector<Camera> moved;
  for (const Camera& camera : cameras) moved.push_back(normalization.to_original(camera));
  RasterSettings settings;
  settings.width = settings.height = 24;
  Renderer renderer(Backend::cpu);
  const Images expected = renderer.forward(normalised, cameras, settings);
  const Images actual = renderer.forward(original, moved, settings);
  for (std::size_t i = 0; i < expected.rgba.size(); ++i)
    ASSERT_NEAR(actual.rgba[i], expected.rgba[i], 2e-3f) << i;
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
  const Mesh off =
      load_mesh(temp_file("quad.off", "OFF\n# a quad\n4 1 0\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n4 0 1 2 3\n"));
  EXPECT_EQ(off.triangles.size(), 2u);
  const Mesh stl = load_mesh(temp_file("tri.stl",
                                       "solid t\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\n"
                                       "vertex 0 1 0\nendloop\nendfacet\nendsolid t\n"));
  EXPECT_EQ(stl.triangles.size(), 1u);
}

// A tetrahedron with one colour per vertex, as PLY in the given format ("ascii", "binary_little_endian",
// "binary_big_endian"), with or without colours.
const glm::vec3 kTetra[4] = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
const glm::uvec3 kTetraFaces[4] = {{0, 2, 1}, {0, 1, 3}, {0, 3, 2}, {1, 2, 3}};
const std::uint8_t kTetraColors[4][3] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};

fs::path tetra_ply(const std::string& format, bool colors) {
  std::string data = "ply\nformat " + format +
                     " 1.0\nelement vertex 4\nproperty float x\nproperty float y\n"
                     "property float z\n";
  if (colors) data += "property uchar red\nproperty uchar green\nproperty uchar blue\n";
  data += "element face 4\nproperty list uchar int vertex_indices\nend_header\n";
  const bool big = format == "binary_big_endian";
  auto put = [&](auto value) {
    char bytes[sizeof(value)];
    std::memcpy(bytes, &value, sizeof(value));
    if (big != (std::endian::native == std::endian::big)) std::reverse(bytes, bytes + sizeof(value));
    data.append(bytes, sizeof(value));
  };
  for (int v = 0; v < 4; ++v) {
    if (format == "ascii") {
      data +=
          std::to_string(kTetra[v].x) + " " + std::to_string(kTetra[v].y) + " " + std::to_string(kTetra[v].z);
      if (colors) {
        for (int c = 0; c < 3; ++c) data += " " + std::to_string(kTetraColors[v][c]);
      }
      data += "\n";
    } else {
      put(kTetra[v].x), put(kTetra[v].y), put(kTetra[v].z);
      if (colors) put(kTetraColors[v][0]), put(kTetraColors[v][1]), put(kTetraColors[v][2]);
    }
  }
  for (const glm::uvec3 f : kTetraFaces) {
    if (format == "ascii") {
      data += "3 " + std::to_string(f.x) + " " + std::to_string(f.y) + " " + std::to_string(f.z) + "\n";
    } else {
      put(std::uint8_t(3)), put(std::int32_t(f.x)), put(std::int32_t(f.y)), put(std::int32_t(f.z));
    }
  }
  return temp_file(format + (colors ? "_colors" : "") + ".ply", data);
}

// The share of pixels a mesh covers in a hard render from the front, normalised to the unit sphere.
double covered_fraction(Mesh mesh) {
  normalize_to_unit_sphere(mesh);
  RasterSettings settings;
  settings.width = settings.height = 32;
  settings.distribution = Distribution::heaviside;
  settings.aggregation = Aggregation::hard;
  settings.colors = ColorMode::hard;
  Renderer renderer(Backend::cpu);
  const Camera camera = Camera::orbit(30.0f, 20.0f, 3.0f);
  const Images& image = renderer.forward(mesh, std::span(&camera, 1), settings);
  double covered = 0.0;
  for (std::size_t i = 3; i < image.rgba.size(); i += 4) covered += image.rgba[i] > 0.5f;
  return covered / double(image.pixels_per_view());
}

TEST(MeshIo, PlyInEveryEncodingLoadsWithAndWithoutColours) {
  for (const std::string format : {"ascii", "binary_little_endian", "binary_big_endian"}) {
    for (const bool colors : {false, true}) {
      SCOPED_TRACE(format + (colors ? " with colours" : " without colours"));
      const Mesh mesh = load_mesh(tetra_ply(format, colors));
      ASSERT_EQ(mesh.positions.size(), 4u);
      ASSERT_EQ(mesh.triangles.size(), 4u);
      ASSERT_EQ(mesh.colors.size(), colors ? 4u : 0u);
      // Each vertex keeps its own colour wherever the importer put it.
      for (std::size_t v = 0; v < 4; ++v) {
        const auto it = std::find(std::begin(kTetra), std::end(kTetra), mesh.positions[v]);
        ASSERT_NE(it, std::end(kTetra)) << "vertex " << v << " moved";
        if (colors) {
          const auto* expected = kTetraColors[it - std::begin(kTetra)];
          for (int c = 0; c < 3; ++c) EXPECT_NEAR(mesh.colors[v][c], expected[c] / 255.0f, 1e-6f);
        }
      }
      EXPECT_GT(covered_fraction(mesh), 0.05);
    }
  }
}

TEST(MeshIo, PlyRoundTripKeepsPositionsAndColours) {
  Mesh mesh = icosphere(2);
  for (const auto& p : mesh.positions) mesh.colors.push_back(0.5f * p + 0.5f);
  const fs::path path =
      fs::temp_directory_path() / ("penumbra_roundtrip_" + std::to_string(::getpid()) + ".ply");
  save_ply(mesh, path);
  const Mesh loaded = load_mesh(path);
  ASSERT_EQ(loaded.positions.size(), mesh.positions.size());
  ASSERT_EQ(loaded.triangles.size(), mesh.triangles.size());
  ASSERT_EQ(loaded.colors.size(), mesh.colors.size());
  for (std::size_t f = 0; f < mesh.triangles.size(); ++f) {
    for (int k = 0; k < 3; ++k) {
      const std::uint32_t a = mesh.triangles[f][k], b = loaded.triangles[f][k];
      EXPECT_NEAR(glm::length(loaded.positions[b] - mesh.positions[a]), 0.0f, 1e-6f);
      for (int c = 0; c < 3; ++c) EXPECT_NEAR(loaded.colors[b][c], mesh.colors[a][c], 0.5f / 255.0f + 1e-6f);
    }
  }
  fs::remove(path);
}

TEST(MeshIo, AssimpPlySamplesLoadAndRender) {
  if (!fs::exists(kModels / "PLY"))
    GTEST_SKIP() << "assimp-testmodels is not installed (scripts/setup installs it)";
  for (const char* name : {"cube.ply", "cube_binary.ply", "cube_uv.ply", "float-color.ply", "Wuson.ply"}) {
    SCOPED_TRACE(name);
    const Mesh mesh = load_mesh(kModels / "PLY" / name);
    EXPECT_GE(mesh.triangles.size(), 1u);
    EXPECT_GT(covered_fraction(mesh), 0.01);
  }
  // A cube's eight corners, welded into one surface of 12 triangles.
  const Mesh cube = load_mesh(kModels / "PLY" / "cube_binary.ply");
  EXPECT_EQ(cube.positions.size(), 8u);
  EXPECT_EQ(cube.triangles.size(), 12u);
}

TEST(MeshIo, GltfAndGlbLoadWithTheirBaseColourTexture) {
  const fs::path folder = kModels / "glTF2";
  if (!fs::exists(folder)) GTEST_SKIP() << "assimp-testmodels is not installed (scripts/setup installs it)";
  for (const char* name : {"BoxTextured-glTF/BoxTextured.gltf", "BoxTextured-glTF-Binary/BoxTextured.glb",
                           "BoxTextured-glTF-Embedded/BoxTextured.gltf"}) {
    SCOPED_TRACE(name);
    Mesh mesh = load_mesh(folder / name);
    // The Khronos box: 8 corners, 12 triangles, each face UV-mapped to the 211x211 Cesium logo.
    EXPECT_EQ(mesh.positions.size(), 8u);
    EXPECT_EQ(mesh.triangles.size(), 12u);
    ASSERT_TRUE(mesh.has_texture());
    EXPECT_EQ(mesh.texture.width, 211);
    EXPECT_EQ(mesh.texture.height, 211);
    EXPECT_EQ(mesh.corner_uvs.size(), 36u);
    bake_texture_to_colors(mesh);
    ASSERT_EQ(mesh.colors.size(), 8u);
    for (const glm::vec3 c : mesh.colors) {
      for (int k = 0; k < 3; ++k) EXPECT_TRUE(c[k] >= 0.0f && c[k] <= 1.0f);
    }
    EXPECT_GT(covered_fraction(mesh), 0.05);
  }
  const Mesh engine = load_mesh(folder / "2CylinderEngine-glTF-Binary" / "2CylinderEngine.glb");
  EXPECT_GT(engine.triangles.size(), 1000u);
  EXPECT_GT(covered_fraction(engine), 0.05);
}

TEST(MeshIo, ObjKeepsItsMtlTextureAndPerCornerUvs) {
  const fs::path folder = fs::temp_directory_path() / ("penumbra_mtl_" + std::to_string(::getpid()));
  fs::create_directories(folder);
  // A 2x1 texture, red on the left and blue on the right; the quad's left corners sample red, right blue.
  Images texture(1, 1, 2);
  texture.at(0, 0, 0, 0) = 1.0f, texture.at(0, 0, 1, 2) = 1.0f;
  texture.at(0, 0, 0, 3) = texture.at(0, 0, 1, 3) = 1.0f;
  save_png(texture, 0, folder / "checks.png");
  std::ofstream(folder / "quad.mtl") << "newmtl paint\nmap_Kd checks.png\n";
  std::ofstream(folder / "quad.obj") << "mtllib quad.mtl\nv 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\n"
                                        "vt 0.25 0.5\nvt 0.75 0.5\nusemtl paint\nf 1/1 2/2 3/2 4/1\n";
  Mesh mesh = load_mesh(folder / "quad.obj");
  ASSERT_TRUE(mesh.has_texture());
  EXPECT_EQ(mesh.corner_uvs.size(), 6u);
  bake_texture_to_colors(mesh);
  EXPECT_NEAR(glm::length(mesh.colors[0] - glm::vec3(1, 0, 0)), 0.0f, 1e-6f);
  EXPECT_NEAR(glm::length(mesh.colors[1] - glm::vec3(0, 0, 1)), 0.0f, 1e-6f);
  EXPECT_NEAR(glm::length(mesh.colors[2] - glm::vec3(0, 0, 1)), 0.0f, 1e-6f);
  EXPECT_NEAR(glm::length(mesh.colors[3] - glm::vec3(1, 0, 0)), 0.0f, 1e-6f);

  // A material naming a texture that is not there is an error naming the texture.
  std::ofstream(folder / "quad.mtl") << "newmtl paint\nmap_Kd missing.png\n";
  try {
    load_mesh(folder / "quad.obj");
    ADD_FAILURE() << "a missing texture loaded";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("missing.png"), std::string::npos) << error.what();
  }
  fs::remove_all(folder);
}

TEST(MeshIo, SpotKeepsItsTexture) {
  const fs::path spot = fs::path(PENUMBRA_SOURCE_DIR) / "assets" / "spot" / "spot_triangulated.obj";
  Mesh mesh = load_mesh(spot);
  ASSERT_TRUE(mesh.has_texture());
  EXPECT_EQ(mesh.corner_uvs.size(), 3 * mesh.triangles.size());
  bake_texture_to_colors(mesh);
  // Spot is mostly white with dark patches: baked colours must vary.
  float low = 1.0f, high = 0.0f;
  for (const glm::vec3 c : mesh.colors) low = std::min(low, c.x), high = std::max(high, c.x);
  EXPECT_LT(low, 0.3f);
  EXPECT_GT(high, 0.7f);
}

TEST(MeshIo, MalformedGltfFilesAreClearErrors) {
  const fs::path folder = kModels / "glTF2";
  if (!fs::exists(folder)) GTEST_SKIP() << "assimp-testmodels is not installed (scripts/setup installs it)";
  for (const char* name :
       {"IndexOutOfRange/AllIndicesOutOfRange.gltf", "MissingBin/BoxTextured.gltf",
        "SchemaFailures/sceneWrongType.gltf", "wrongTypes/badArray.gltf", "wrongTypes/badNumber.gltf",
        "wrongTypes/badObject.gltf", "wrongTypes/badString.gltf", "wrongTypes/badUint.gltf",
        "BoxWithInfinites-glTF-Binary/BoxWithInfinites.glb"}) {
    SCOPED_TRACE(name);
    try {
      load_mesh(folder / name);
      ADD_FAILURE() << "loaded without an error";
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find(fs::path(name).filename().string()), std::string::npos)
          << "the error should name the file: " << error.what();
    }
  }
}

TEST(MeshIo, RealModelsFromAssimpLoad) {
  const fs::path box = "/usr/share/assimp/models/OBJ/box.obj";
  if (!fs::exists(box)) GTEST_SKIP() << "assimp-testmodels is not installed (scripts/setup installs it)";
  const Mesh mesh = load_mesh(box);
  EXPECT_EQ(mesh.triangles.size(), 12u);
}

TEST(MeshIo, EveryInvalidAssimpModelIsAClearError) {
  if (!fs::exists(kInvalidModels))
    GTEST_SKIP() << "assimp-testmodels is not installed (scripts/setup installs it)";
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
}  // namespace penumbra::test
