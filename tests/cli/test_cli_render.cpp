// `penumbra render` and `penumbra info` end to end: outputs on good input, and for bad input one line on
// stderr naming the problem and the fix, with exit code 2 (never a crash or a hang).
#include <gtest/gtest.h>

#include <algorithm>

#include "penumbra/image.h"
#include "command_line.h"

namespace penumbra::test {
namespace {

namespace fs = std::filesystem;

fs::path temp_path(const std::string& name) {
  return fs::temp_directory_path() / ("penumbra_cli_test_" + std::to_string(::getpid()) + "_" + name);
}

fs::path write_file(const std::string& name, const std::string& content) {
  const fs::path path = temp_path(name);
  std::ofstream(path) << content;
  return path;
}

void expect_usage_error(const std::string& arguments, const std::string& fragment) {
  const auto result = run_penumbra(arguments);
  EXPECT_EQ(result.exit_code, 2) << arguments << "\nstderr: " << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << "one line expected: " << result.err;
  EXPECT_NE(result.err.find(fragment), std::string::npos) << arguments << "\nstderr: " << result.err;
}

const std::string kGoodMesh = "--mesh icosphere:2";

TEST(CliRender, WritesOnePngPerView) {
  const fs::path out = temp_path("ring.png");
  const auto result = run_penumbra(kGoodMesh + " render --views 3 --size 32x24 --out " + out.string());
  // Sub-command options come after the sub-command; the line above is deliberately wrong.
  EXPECT_EQ(result.exit_code, 2);
  const auto ok = run_penumbra("render " + kGoodMesh + " --views 3 --size 32x24 --out " + out.string());
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  for (int view = 0; view < 3; ++view) {
    const fs::path file = temp_path("ring_00" + std::to_string(view) + ".png");
    EXPECT_TRUE(fs::exists(file)) << file;
    fs::remove(file);
  }
}

TEST(CliRender, WritesFloatNpyWithShape) {
  const fs::path out = temp_path("views.npy");
  const auto result = run_penumbra("render " + kGoodMesh +
                                   " --views 2 --size 20x10 --distribution uniform --out " + out.string());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string npy = test::read_bytes(out);
  EXPECT_EQ(npy.substr(1, 5), "NUMPY");
  EXPECT_NE(npy.find("'shape': (2, 10, 20, 4)"), std::string::npos);
  const std::size_t header = 10 + std::size_t(static_cast<unsigned char>(npy[8])) +
                             256 * std::size_t(static_cast<unsigned char>(npy[9]));
  EXPECT_EQ(npy.size(), header + 2 * 10 * 20 * 4 * sizeof(float));
  fs::remove(out);
}

TEST(CliRender, HelpAndInfo) {
  const auto help = run_penumbra("render --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--distribution"), std::string::npos);
  const auto info = run_penumbra("info");
  EXPECT_EQ(info.exit_code, 0);
  for (const char* name : {"levy_rev", "schweizer_sklar", "aczel_alsina", "cpu"}) {
    EXPECT_NE(info.out.find(name), std::string::npos) << name;
  }
}

TEST(CliRender, EveryInvalidAssimpModelIsExitCodeTwo) {
  const fs::path folder = "/usr/share/assimp/models/invalid";
  if (!fs::exists(folder)) GTEST_SKIP() << "assimp-testmodels is not installed (scripts/setup installs it)";
  const fs::path out = temp_path("invalid.png");
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().filename() == "readme.txt") continue;
    expect_usage_error("render --size 16x16 --mesh '" + entry.path().string() + "' --out " + out.string(),
                       entry.path().filename().string());
  }
  EXPECT_FALSE(fs::exists(out));
}

TEST(CliRender, PlyAndGltfRenderAndTheCamerasAreWrittenBeside) {
  const fs::path models = "/usr/share/assimp/models";
  if (!fs::exists(models)) GTEST_SKIP() << "assimp-testmodels is not installed (scripts/setup installs it)";
  const fs::path folder = temp_path("formats");
  fs::create_directories(folder);
  for (const char* mesh :
       {"PLY/cube_binary.ply", "PLY/Wuson.ply", "glTF2/BoxTextured-glTF-Binary/BoxTextured.glb",
        "glTF2/BoxTextured-glTF/BoxTextured.gltf"}) {
    const fs::path out = folder / "view.jpg";
    const auto result = run_penumbra("render --mesh " + (models / mesh).string() +
                                     " --views 2 --size 24x24 --out " + out.string());
    ASSERT_EQ(result.exit_code, 0) << mesh << ": " << result.err;
    EXPECT_TRUE(fs::exists(folder / "view_001.jpg")) << mesh;
    const std::string cameras = test::read_bytes(folder / "cameras.json");
    EXPECT_NE(cameras.find("\"view_001.jpg\""), std::string::npos) << cameras;
  }
  // The cpu backend samples a texture per pixel; --bake-texture turns it into vertex colours, and says so.
  const std::string box = "render --mesh " + (models / "glTF2/BoxTextured-glTF/BoxTextured.gltf").string() +
                          " --size 8x8 --out " + (folder / "box.png").string();
  const auto sampled = run_penumbra(box);
  ASSERT_EQ(sampled.exit_code, 0) << sampled.err;
  EXPECT_EQ(sampled.err.find("baked"), std::string::npos) << sampled.err;
  const auto baked = run_penumbra(box + " --bake-texture");
  EXPECT_NE(baked.err.find("texture baked to vertex colours"), std::string::npos) << baked.err;
  fs::remove_all(folder);
}

TEST(CliRender, MalformedGltfIsExitCodeTwo) {
  const fs::path folder = "/usr/share/assimp/models/glTF2";
  if (!fs::exists(folder)) GTEST_SKIP() << "assimp-testmodels is not installed (scripts/setup installs it)";
  const fs::path out = temp_path("gltf.png");
  for (const char* name : {"MissingBin/BoxTextured.gltf", "wrongTypes/badArray.gltf",
                           "BoxWithInfinites-glTF-Binary/BoxWithInfinites.glb"}) {
    expect_usage_error("render --size 16x16 --mesh '" + (folder / name).string() + "' --out " + out.string(),
                       fs::path(name).filename().string());
  }
  EXPECT_FALSE(fs::exists(out));
}

TEST(CliRender, BadMeshesAreExitCodeTwo) {
  const std::string out = " --out " + temp_path("bad.png").string();
  const fs::path nan_mesh = write_file("nan.obj", "v 0 0 0\nv 1 nan 0\nv 0 1 0\nf 1 2 3\n");
  expect_usage_error("render --mesh " + nan_mesh.string() + out, "nan");
  const fs::path inf_mesh = write_file("inf.obj", "v 0 0 0\nv 1 inf 0\nv 0 1 0\nf 1 2 3\n");
  expect_usage_error("render --mesh " + inf_mesh.string() + out, "inf");
  const fs::path range = write_file("range.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 4\n");
  expect_usage_error("render --mesh " + range.string() + out, "does not exist");
  const fs::path empty = write_file("empty.obj", "# nothing\n");
  expect_usage_error("render --mesh " + empty.string() + out, "empty");
  expect_usage_error("render --mesh /nonexistent/mesh.obj" + out, "cannot open");
}

TEST(CliRender, BadSettingsAreExitCodeTwo) {
  const std::string base = "render " + kGoodMesh + " --out " + temp_path("bad.png").string();
  expect_usage_error(base + " --sigma 0", "sigma");
  expect_usage_error(base + " --sigma -1", "sigma");
  expect_usage_error(base + " --distribution normal", "unknown distribution");
  expect_usage_error(base + " --aggregation sum", "unknown aggregation");
  expect_usage_error(base + " --aggregation yager --p -1", "yager");
  expect_usage_error(base + " --aggregation schweizer_sklar --p 2", "schweizer_sklar");
  expect_usage_error(base + " --size 0x64", "size");
  expect_usage_error(base + " --size 16385x64", "size");
  expect_usage_error(base + " --size 64y64", "WIDTHxHEIGHT");
  expect_usage_error(base + " --views 0", "--views");
  expect_usage_error(base + " --views 4096 --size 16384x16384", "GB");
  expect_usage_error(base + " --fov 200", "--fov: 200 is not a finite number in [0.01, 179]");
  expect_usage_error(base + " --backend metal", "unknown backend");
  expect_usage_error(base + " --colors fancy", "colour mode");
  expect_usage_error(base + " --shading toon", "unknown shading model");
  expect_usage_error(base + " --light sun:0,0,1", "cannot read light");
  expect_usage_error(base + " --light dir:0,0,0", "cannot read light");
  expect_usage_error(base + " --light point:1,nan,0", "cannot read light");
  expect_usage_error(base + " --ambient 1,2", "comma-separated");
  expect_usage_error(base + " --shading phong --shininess 0.5", "shininess");
  expect_usage_error(base + " --shading sh --sh 1,2,3", "27");
  std::string five_lights;
  for (int i = 0; i < 5; ++i) five_lights += " --light dir:0,0,-1";
  expect_usage_error(base + five_lights, "at most 4");
  // Vulkan (lavapipe here) renders unlit; an explicit lit model is refused there.
  const auto vulkan = run_penumbra("render " + kGoodMesh + " --size 8 --backend vulkan --out " +
                                   temp_path("vk.png").string());
  if (vulkan.exit_code == 0) {
    expect_usage_error(base + " --backend vulkan --shading phong", "not available on the vulkan backend");
  }
  expect_usage_error("render " + kGoodMesh + " --out /nonexistent/folder/x.png", "does not exist");
  expect_usage_error("render " + kGoodMesh + " --out " + temp_path("x.tif").string(), ".png, .jpg or .npy");
  expect_usage_error("render --out x.png", "--mesh");
  expect_usage_error(
      "render " + kGoodMesh + " --cameras /nonexistent.json --out " + temp_path("c.png").string(),
      "camera file");
}

TEST(CliRender, UnwritableOutputIsExitCodeTwo) {
  if (::geteuid() == 0) {
    // root writes anywhere; a path through a regular file is unwritable for everyone.
    const fs::path file = write_file("not_a_folder", "x");
    expect_usage_error("render " + kGoodMesh + " --out " + (file / "x.png").string(), "does not exist");
    return;
  }
  const fs::path folder = temp_path("readonly");
  fs::create_directories(folder);
  fs::permissions(folder, fs::perms::owner_read | fs::perms::owner_exec);
  expect_usage_error("render " + kGoodMesh + " --out " + (folder / "x.png").string(), "cannot write");
}

// The default render is lit, white where the mesh has no colours: a sphere is brighter on the side its
// light comes from (the camera's upper left). Unlit, it keeps today's colours from its normals.
TEST(CliRender, DefaultRenderIsShaded) {
  const fs::path lit = temp_path("lit.png"), flat = temp_path("unlit.png");
  ASSERT_EQ(run_penumbra("render --mesh icosphere:3 --size 32 --elevation 0 --out " + lit.string()).exit_code,
            0);
  ASSERT_EQ(run_penumbra("render --mesh icosphere:3 --size 32 --elevation 0 --shading unlit --colors hard "
                         "--out " +
                         flat.string())
                .exit_code,
            0);
  const Images shaded = load_image(lit), unlit = load_image(flat);
  // Upper left against lower right, inside the disc.
  const float upper_left = shaded.at(0, 11, 11, 0), lower_right = shaded.at(0, 21, 21, 0);
  EXPECT_GT(upper_left, lower_right + 0.3f);
  // Lit white: grey levels, the same in every channel.
  EXPECT_NEAR(shaded.at(0, 16, 16, 0), shaded.at(0, 16, 16, 2), 1e-6f);
  // Unlit: the normal colours, which differ between channels.
  EXPECT_GT(std::abs(unlit.at(0, 16, 16, 0) - unlit.at(0, 16, 16, 2)), 0.1f);
  fs::remove(lit);
  fs::remove(flat);
}

// A textured OBJ whose UV index is out of range, whose texture is missing, or whose texture is not an image.
TEST(CliRender, BadTexturesAreExitCodeTwo) {
  const fs::path folder = temp_path("textures");
  fs::create_directories(folder);
  Images texel(1, 1, 1, 1.0f);
  save_png(texel, 0, folder / "good.png");
  std::ofstream(folder / "garbage.png") << "not an image";
  const std::string out = " --out " + (folder / "x.png").string();
  auto textured_obj = [&](const std::string& name, const std::string& texture, const std::string& face) {
    std::ofstream(folder / (name + ".mtl")) << "newmtl m\nmap_Kd " << texture << "\n";
    std::ofstream(folder / (name + ".obj"))
        << "mtllib " << name << ".mtl\nusemtl m\nv 0 0 0\nv 1 0 0\nv 0 1 0\n"
        << "vt 0 0\nvt 1 0\nvt 0 1\n"
        << face << "\n";
    return "render --mesh " + (folder / (name + ".obj")).string() + out;
  };
  ASSERT_EQ(run_penumbra(textured_obj("good", "good.png", "f 1/1 2/2 3/3")).exit_code, 0);
  expect_usage_error(textured_obj("uv_range", "good.png", "f 1/1 2/2 3/9"), "vt");
  expect_usage_error(textured_obj("missing", "absent.png", "f 1/1 2/2 3/3"), "absent.png");
  expect_usage_error(textured_obj("garbage", "garbage.png", "f 1/1 2/2 3/3"), "garbage.png");
  fs::remove_all(folder);
}

}  // namespace
}  // namespace penumbra::test
