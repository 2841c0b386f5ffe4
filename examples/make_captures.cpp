// Writes the sample captures of assets/captures: a mesh rendered from known cameras, stored the way
// photogrammetry and NeRF pipelines store real captures.
//   spot_colmap/  images/*.jpg (RGB over a plain background), masks/*.png, sparse/0/{cameras,images,points3D}.txt
//   spot_nerf/    transforms.json (camera_angle_x, camera-to-world matrices in OpenGL axes), train/*.png (RGBA)
// The world is the mesh's own frame after normalisation to the unit sphere (as `penumbra render` draws it).
// Usage: make_captures MESH.obj TEXTURE.png OUT_FOLDER
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <glm/gtc/quaternion.hpp>
#include <nlohmann/json.hpp>

#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include "penumbra/penumbra.h"

namespace fs = std::filesystem;
using namespace penumbra;

namespace {

constexpr int kSize = 256;
constexpr int kColmapViews = 24;
constexpr int kNerfViews = 6;
const glm::vec3 kBackground{0.93f, 0.92f, 0.88f};

RasterSettings photo_settings() {
  RasterSettings settings;
  settings.width = settings.height = kSize;
  settings.distribution = Distribution::uniform;  // about half a pixel of antialiasing at 256²
  settings.squared = false;
  settings.sigma = 0.004f;
  settings.colors = ColorMode::softmax;
  settings.back_faces = BackFaces::cull;
  return settings;
}

unsigned char byte(float value) {
  return static_cast<unsigned char>(std::lround(std::clamp(value, 0.0f, 1.0f) * 255.0f));
}

void append_bytes(void* bytes, void* data, int size) {
  static_cast<std::string*>(bytes)->append(static_cast<const char*>(data), std::size_t(size));
}

void write_photo_and_mask(const Images& images, int view, const fs::path& photo, const fs::path& mask) {
  std::vector<unsigned char> rgb, grey;
  const float* pixels = images.rgba.data() + std::size_t(view) * images.pixels_per_view() * 4;
  for (std::size_t i = 0; i < images.pixels_per_view(); ++i) {
    const float alpha = pixels[4 * i + 3];
    for (int c = 0; c < 3; ++c)
      rgb.push_back(byte(pixels[4 * i + c] * alpha + kBackground[c] * (1.0f - alpha)));
    grey.push_back(byte(alpha));
  }
  std::string photo_bytes, mask_bytes;
  if (!stbi_write_jpg_to_func(append_bytes, &photo_bytes, images.width, images.height, 3, rgb.data(), 90) ||
      !stbi_write_png_to_func(append_bytes, &mask_bytes, images.width, images.height, 1, grey.data(),
                              images.width)) {
    throw Error("cannot encode the capture's images", photo.string(), "check the image size");
  }
  write_file_atomically(photo, photo_bytes);
  write_file_atomically(mask, mask_bytes);
}

// COLMAP: one PINHOLE camera per image (their principal points differ), poses as world-to-camera quaternion
// and translation in OpenCV axes.
void write_colmap(const Mesh& mesh, const fs::path& folder) {
  fs::create_directories(folder / "images");
  fs::create_directories(folder / "masks");
  fs::create_directories(folder / "sparse" / "0");
  std::mt19937 random(7);
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  std::vector<Camera> cameras;
  for (int i = 0; i < kColmapViews; ++i) {
    const float azimuth = 360.0f * float(i) / kColmapViews;
    const float elevation = -25.0f + 70.0f * std::fmod(0.5f + 0.6180339887f * float(i), 1.0f);
    Camera camera = Camera::orbit(azimuth, elevation, 3.2f + 0.4f * unit(random));
    camera.at = glm::vec3(0.1f * unit(random), 0.1f * unit(random), 0.1f * unit(random));
    // Focal length of a 40-48° field of view; the principal point up to 10 % of the size off centre.
    const float focal = (kSize / 2.0f) / std::tan(glm::radians(20.0f + 2.0f * unit(random)));
    camera.with_pinhole(focal, focal, kSize * (0.5f + 0.1f * unit(random)),
                        kSize * (0.5f + 0.1f * unit(random)), kSize, kSize);
    cameras.push_back(camera);
  }
  Renderer renderer(Backend::cpu);
  const Images& images = renderer.forward(mesh, cameras, photo_settings());
  std::string cameras_txt =
      "# Camera list with one line of data per camera:\n"
      "#   CAMERA_ID, MODEL, WIDTH, HEIGHT, PARAMS[]\n";
  std::string images_txt =
      "# Image list with two lines of data per image:\n"
      "#   IMAGE_ID, QW, QX, QY, QZ, TX, TY, TZ, CAMERA_ID, NAME\n"
      "#   POINTS2D[] as (X, Y, POINT3D_ID)\n";
  for (int i = 0; i < kColmapViews; ++i) {
    char name[32];
    std::snprintf(name, sizeof(name), "spot_%03d", i);
    write_photo_and_mask(images, i, folder / "images" / (std::string(name) + ".jpg"),
                         folder / "masks" / (std::string(name) + ".png"));
    const Camera& c = cameras[i];
    const glm::dmat4 world_to_camera = c.world_to_camera(CameraConvention::opencv);
    const glm::dquat q = glm::quat_cast(glm::dmat3(world_to_camera));
    char line[512];
    std::snprintf(line, sizeof(line), "%d PINHOLE %d %d %.6f %.6f %.6f %.6f\n", i + 1, c.image_width,
                  c.image_height, c.fx, c.fy, c.cx, c.cy);
    cameras_txt += line;
    std::snprintf(line, sizeof(line), "%d %.9f %.9f %.9f %.9f %.9f %.9f %.9f %d %s.jpg\n\n", i + 1, q.w, q.x,
                  q.y, q.z, world_to_camera[3].x, world_to_camera[3].y, world_to_camera[3].z, i + 1, name);
    images_txt += line;
  }
  write_file_atomically(folder / "sparse" / "0" / "cameras.txt", cameras_txt);
  write_file_atomically(folder / "sparse" / "0" / "images.txt", images_txt);
  write_file_atomically(folder / "sparse" / "0" / "points3D.txt",
                        "# 3D point list (empty: no reconstruction)\n");
}

// NeRF (Blender's synthetic layout): one horizontal field of view for all frames, camera-to-world matrices
// in OpenGL axes, RGBA PNGs named without their extension.
void write_nerf(const Mesh& mesh, const fs::path& folder) {
  fs::create_directories(folder / "train");
  const float fov_x = 45.0f;
  std::vector<Camera> cameras;
  for (int i = 0; i < kNerfViews; ++i) {
    Camera camera =
        Camera::orbit(30.0f + 360.0f * float(i) / kNerfViews, i % 2 == 0 ? 25.0f : -10.0f, 3.0f, fov_x);
    camera.fov_axis = FovAxis::horizontal;
    cameras.push_back(camera);
  }
  Renderer renderer(Backend::cpu);
  const Images& images = renderer.forward(mesh, cameras, photo_settings());
  nlohmann::json frames = nlohmann::json::array();
  for (int i = 0; i < kNerfViews; ++i) {
    const std::string name = "r_" + std::to_string(i);
    save_png(images, i, folder / "train" / (name + ".png"));
    const glm::dmat4 camera_to_world = glm::inverse(cameras[i].world_to_camera(CameraConvention::opengl));
    nlohmann::json rows = nlohmann::json::array();
    for (int r = 0; r < 4; ++r) {
      rows.push_back(
          {camera_to_world[0][r], camera_to_world[1][r], camera_to_world[2][r], camera_to_world[3][r]});
    }
    frames.push_back({{"file_path", "./train/" + name}, {"transform_matrix", rows}});
  }
  const nlohmann::json transforms = {{"camera_angle_x", glm::radians(double(fov_x))}, {"frames", frames}};
  write_file_atomically(folder / "transforms.json", transforms.dump(2) + "\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: make_captures MESH.obj TEXTURE.png OUT_FOLDER\n");
    return 2;
  }
  try {
    Mesh mesh = load_mesh(argv[1]);
    normalize_to_unit_sphere(mesh);
    mesh.texture = load_image(argv[2]);
    bake_texture_to_colors(mesh);
    write_colmap(mesh, fs::path(argv[3]) / "spot_colmap");
    write_nerf(mesh, fs::path(argv[3]) / "spot_nerf");
  } catch (const Error& error) {
    std::fprintf(stderr, "make_captures: %s\n", error.what());
    return 2;
  }
  std::printf("wrote %s/spot_colmap and %s/spot_nerf\n", argv[3], argv[3]);
  return 0;
}
