// penumbra.Settings, penumbra.Renderer (forward and backward over NumPy arrays) and mesh helpers. float32
// inputs render through penumbra::Renderer on the chosen backend; float64 inputs through ReferenceRenderer.
#include <pybind11/stl.h>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "array_checks.h"
#include "bindings.h"
#include "penumbra/error.h"
#include "penumbra/mesh.h"
#include "penumbra/reference_renderer.h"
#include "penumbra/renderer.h"
#include "raster_options.h"
#include "shading_options.h"

namespace penumbra::python {
namespace {

// Columns of one camera row: look_at is eye, at, up, fov_degrees; pose is rotation, translation, fov_degrees.
constexpr py::ssize_t kLookAtColumns = 10;
constexpr py::ssize_t kPoseColumns = 7;

/// RasterSettings and the backend.
struct Settings {
  RasterSettings raster;
  std::string backend = "cpu";
  Backend parsed_backend = Backend::cpu;
};

/// The command line's raster options, parsed and validated by the same code and so with the same messages.
Settings make_settings(const py::object& size, const std::string& distribution, bool squared,
                       const std::optional<float>& sigma, float shape, float shift,
                       const std::string& aggregation, float p, float gamma, const std::string& colors,
                       bool cull_back_faces, const std::string& backend, const std::string& shading,
                       const std::vector<std::string>& lights, const std::string& ambient,
                       const std::string& specular, float shininess, const std::string& sh,
                       bool flat_normals) {
  std::string size_text;
  if (py::isinstance<py::str>(size)) {
    size_text = size.cast<std::string>();
  } else {
    try {
      const auto pair = size.cast<std::pair<int, int>>();
      size_text = std::to_string(pair.first) + "x" + std::to_string(pair.second);
    } catch (const py::cast_error&) {
      throw Error("size is not a (width, height) pair or a string", "--size",
                  "write e.g. (256, 192) or \"256x192\"");
    }
  }
  cli::RasterOptions options(size_text);
  options.distribution = distribution;
  options.squared = squared;
  options.sigma = sigma;
  options.shape = shape;
  options.shift = shift;
  options.aggregation = aggregation;
  options.p = p;
  options.gamma = gamma;
  options.colors = colors;
  options.cull_back_faces = cull_back_faces;
  options.backend = backend;
  Settings s;
  s.raster = options.settings();
  s.parsed_backend = options.parsed_backend();
  s.backend = backend;
  // The command line's appearance options; vertex colours only (the module takes no texture).
  cli::ShadingOptions appearance;
  appearance.model = shading;
  appearance.lights = lights;
  appearance.ambient = ambient;
  appearance.specular = specular;
  appearance.shininess = shininess;
  appearance.sh = sh;
  appearance.flat = flat_normals;
  s.raster.shading = appearance.shading(s.parsed_backend, Camera{});
  return s;
}

// The shortest text that reads back as the same float.
std::string shortest(float value) {
  char text[32];
  const auto end = std::to_chars(text, text + sizeof(text), value).ptr;
  return std::string(text, end);
}

std::string repr(const Settings& s) {
  const RasterSettings& r = s.raster;
  return "penumbra.Settings(size=\"" + std::to_string(r.width) + "x" + std::to_string(r.height) +
         "\", distribution=\"" + std::string(name(r.distribution)) +
         "\", squared=" + (r.squared ? "True" : "False") + ", sigma=" + shortest(r.sigma) +
         ", aggregation=\"" + std::string(name(r.aggregation)) + "\", gamma=" + shortest(r.gamma) +
         ", colors=\"" + std::string(name(r.colors)) + "\", backend=\"" + s.backend + "\", shading=\"" +
         std::string(name(r.shading.model)) + "\")";
}

template <class T>
py::array_t<T> new_array(std::vector<py::ssize_t> shape) {
  return py::array_t<T>(shape);
}

/// Triangles from an int32 or int64 [F, 3] array; indices are range-checked later by Mesh::validate.
std::vector<glm::uvec3> read_faces(const py::array& faces, const std::string& where) {
  std::vector<glm::uvec3> triangles;
  auto convert = [&](const auto* data) {
    triangles.resize(faces.shape(0));
    for (std::size_t f = 0; f < triangles.size(); ++f) {
      for (int k = 0; k < 3; ++k) {
        const auto index = data[3 * f + k];
        if (index < 0 || std::int64_t(index) > std::int64_t(UINT32_MAX)) {
          throw Error("face " + std::to_string(f) + " has vertex index " + std::to_string(index), where,
                      "indices must lie in [0, vertices)");
        }
        triangles[f][k] = std::uint32_t(index);
      }
    }
  };
  if (faces.dtype().is(py::dtype::of<std::int64_t>())) {
    convert(checked_data<std::int64_t>(faces, {-1, 3}, "faces", where));
  } else {
    convert(checked_data<std::int32_t>(faces, {-1, 3}, "faces", where));
  }
  return triangles;
}

/// The camera rows' model from their column count.
CameraModel camera_model(const py::array& cameras, const std::string& where) {
  if (cameras.ndim() == 2 && cameras.shape(1) == kLookAtColumns) return CameraModel::look_at;
  if (cameras.ndim() == 2 && cameras.shape(1) == kPoseColumns) return CameraModel::pose;
  throw Error("cameras has shape " + describe(cameras) + ", not [views, 10] (look_at) or [views, 7] (pose)",
              where, "rows are eye, at, up, fov_degrees or rotation, translation, fov_degrees");
}

template <class CameraType, class T>
CameraType camera_from_row(const T* row, CameraModel model, double near, double far) {
  CameraType camera;
  camera.model = model;
  if (model == CameraModel::look_at) {
    camera.eye = {row[0], row[1], row[2]};
    camera.at = {row[3], row[4], row[5]};
    camera.up = {row[6], row[7], row[8]};
    camera.fov_degrees = row[9];
  } else {
    camera.rotation = {row[0], row[1], row[2]};
    camera.translation = {row[3], row[4], row[5]};
    camera.fov_degrees = row[6];
  }
  camera.near = near;
  camera.far = far;
  return camera;
}

template <class Gradient, class T>
void camera_gradient_to_row(const Gradient& g, CameraModel model, T* row) {
  const auto put = [&](int at, const auto& v) {
    for (int k = 0; k < 3; ++k) row[at + k] = T(v[k]);
  };
  if (model == CameraModel::look_at) {
    put(0, g.eye);
    put(3, g.at);
    put(6, g.up);
    row[9] = T(g.fov_degrees);
  } else {
    put(0, g.rotation);
    put(3, g.translation);
    row[6] = T(g.fov_degrees);
  }
}

template <class Gradient, class T>
void intrinsics_gradient_to_row(const Gradient& g, T* row) {
  row[0] = T(g.fx);
  row[1] = T(g.fy);
  row[2] = T(g.cx);
  row[3] = T(g.cy);
}

/// One renderer per backend that Settings asked for, and the double-precision reference; buffers persist
/// across calls. Forward and backward release the GIL; a mutex keeps two Python threads from interleaving.
class PyRenderer {
 public:
  explicit PyRenderer(int threads) : threads_(threads) {}

  py::array forward(const py::array& vertices, const py::array& faces, const py::array& cameras,
                    const Settings& settings, const py::object& colors, const py::object& intrinsics,
                    const py::object& intrinsics_size, double near, double far) {
    const auto lock = lock_without_gil();
    const Inputs inputs{vertices, faces, cameras, colors, intrinsics, intrinsics_size, near, far};
    if (vertices.dtype().is(py::dtype::of<double>())) return forward_typed<double>(inputs, settings);
    return forward_typed<float>(inputs, settings);
  }

  py::tuple backward(const py::array& dL_dimages) {
    const auto lock = lock_without_gil();
    const char* where = "Renderer.backward";
    if (generation_ == 0) throw Error("backward called before forward", where, "call forward first");
    return last_.is_double ? backward_typed<double>(dL_dimages) : backward_typed<float>(dL_dimages);
  }

  std::uint64_t generation() const { return generation_; }

  /// Waits for the renderer with the GIL released: the thread holding it re-takes the GIL when done.
  std::unique_lock<std::mutex> lock_without_gil() {
    py::gil_scoped_release release;
    return std::unique_lock<std::mutex>(mutex_);
  }
  std::string last_backend() const { return generation_ == 0 ? "" : std::string(name(last_.backend)); }

 private:
  struct LastForward {
    bool is_double = false;
    Backend backend = Backend::cpu;
    CameraModel model = CameraModel::look_at;
    py::ssize_t vertices = 0, views = 0, height = 0, width = 0;
    bool has_colors = false;
    bool has_intrinsics = false;
  };

  struct Inputs {
    const py::array& vertices;
    const py::array& faces;
    const py::array& cameras;
    const py::object& colors;      // None or [vertices, 3]
    const py::object& intrinsics;  // None or [views, 4]: fx, fy, cx, cy in pixels
    const py::object&
        intrinsics_size;  // None (the render size) or (width, height) the intrinsics are given in
    double near, far;
  };

  Renderer& float_renderer(Backend backend) {
    auto found = float_renderers_.find(backend);
    if (found != float_renderers_.end()) return *found->second;
    try {
      auto renderer = std::make_unique<Renderer>(backend, RendererOptions{threads_});
      return *float_renderers_.emplace(backend, std::move(renderer)).first->second;
    } catch (const Error& error) {
      throw std::runtime_error(error.what());
    }
  }

  /// Camera `view` from its row, and its pinhole intrinsics when given.
  template <class CameraType, class T>
  static CameraType camera_of(const Inputs& in, CameraModel model, const T* rows, const T* intrinsics,
                              int width, int height, py::ssize_t view) {
    auto camera = camera_from_row<CameraType>(rows + view * in.cameras.shape(1), model, in.near, in.far);
    if (intrinsics) {
      const T* k = intrinsics + 4 * view;
      camera.projection = Projection::pinhole;
      camera.fx = k[0];
      camera.fy = k[1];
      camera.cx = k[2];
      camera.cy = k[3];
      camera.image_width = width;
      camera.image_height = height;
    }
    return camera;
  }

  template <class T>
  py::array forward_typed(const Inputs& in, const Settings& settings) {
    const std::string where = "penumbra.render";
    const T* vertex_data = checked_data<T>(in.vertices, {-1, 3}, "vertices", where);
    const py::ssize_t vertex_count = in.vertices.shape(0);
    std::vector<glm::uvec3> triangles = read_faces(in.faces, where);
    const py::array& cameras = in.cameras;
    const CameraModel model = camera_model(cameras, where);
    const T* camera_data = checked_data<T>(cameras, {-1, cameras.shape(1)}, "cameras", where);
    const py::ssize_t views = cameras.shape(0);
    const RasterSettings& raster = settings.raster;
    // Held here so that arrays converted from other objects outlive the reads of their data.
    const py::array color_array = in.colors.is_none() ? py::array() : py::array(in.colors);
    const py::array intrinsic_array = in.intrinsics.is_none() ? py::array() : py::array(in.intrinsics);
    const T* color_data = nullptr;
    if (!in.colors.is_none()) color_data = checked_data<T>(color_array, {vertex_count, 3}, "colors", where);
    const T* intrinsic_data = nullptr;
    int intrinsic_width = raster.width, intrinsic_height = raster.height;
    if (!in.intrinsics.is_none()) {
      intrinsic_data = checked_data<T>(intrinsic_array, {views, 4}, "intrinsics", where);
      if (!in.intrinsics_size.is_none()) {
        try {
          std::tie(intrinsic_width, intrinsic_height) = in.intrinsics_size.cast<std::pair<int, int>>();
        } catch (const py::cast_error&) {
          throw Error("intrinsics_size is not a (width, height) pair", where, "write e.g. (1024, 768)");
        }
      }
    }
    py::array_t<T> images({views, py::ssize_t(raster.height), py::ssize_t(raster.width), py::ssize_t(4)});
    T* image_data = images.mutable_data();

    LastForward last{std::is_same_v<T, double>,
                     Backend::cpu,
                     model,
                     vertex_count,
                     views,
                     raster.height,
                     raster.width,
                     color_data != nullptr,
                     intrinsic_data != nullptr};
    if constexpr (std::is_same_v<T, double>) {
      if (settings.parsed_backend == Backend::vulkan || settings.parsed_backend == Backend::cuda) {
        throw Error("float64 renders on the CPU only, not the " + settings.backend + " backend", where,
                    "use backend=\"cpu\" for float64, or float32 inputs");
      }
      std::vector<DoubleCamera> camera_list;
      for (py::ssize_t v = 0; v < views; ++v) {
        camera_list.push_back(camera_of<DoubleCamera>(in, model, camera_data, intrinsic_data, intrinsic_width,
                                                      intrinsic_height, v));
      }
      if (!reference_) reference_ = std::make_unique<ReferenceRenderer>(threads_);
      const auto* positions = reinterpret_cast<const glm::dvec3*>(vertex_data);
      const auto* color_vectors = reinterpret_cast<const glm::dvec3*>(color_data);
      const std::size_t color_count = color_data ? std::size_t(vertex_count) : 0;
      py::gil_scoped_release release;
      reference_->forward({positions, std::size_t(vertex_count)}, triangles, {color_vectors, color_count},
                          camera_list, raster, {image_data, std::size_t(images.size())});
    } else {
      Mesh mesh;
      const auto* positions = reinterpret_cast<const glm::vec3*>(vertex_data);
      mesh.positions.assign(positions, positions + vertex_count);
      mesh.triangles = std::move(triangles);
      if (color_data) {
        const auto* color_vectors = reinterpret_cast<const glm::vec3*>(color_data);
        mesh.colors.assign(color_vectors, color_vectors + vertex_count);
      }
      std::vector<Camera> camera_list;
      for (py::ssize_t v = 0; v < views; ++v) {
        const Camera camera =
            camera_of<Camera>(in, model, camera_data, intrinsic_data, intrinsic_width, intrinsic_height, v);
        camera.validate("camera " + std::to_string(v));
        camera_list.push_back(camera);
      }
      mesh.validate("vertices, faces, colors");
      Renderer& renderer = float_renderer(settings.parsed_backend);
      last.backend = renderer.backend();
      py::gil_scoped_release release;
      try {
        const Images& result = renderer.forward(mesh, camera_list, raster);
        std::memcpy(image_data, result.rgba.data(), result.rgba.size() * sizeof(float));
      } catch (const Error& error) {
        // Inputs were validated above: what fails now is the backend.
        throw std::runtime_error(error.what());
      }
    }
    last_ = last;
    ++generation_;
    return images;
  }

  template <class T>
  py::tuple backward_typed(const py::array& dL_dimages) {
    const std::string where = "Renderer.backward";
    const T* upstream =
        checked_data<T>(dL_dimages, {last_.views, last_.height, last_.width, 4}, "dL_dimages", where);
    const py::ssize_t vertices = last_.vertices;
    const py::ssize_t columns = last_.model == CameraModel::look_at ? kLookAtColumns : kPoseColumns;
    py::array_t<T> dL_dvertices({vertices, py::ssize_t(3)});
    py::array_t<T> dL_dcolors({vertices, py::ssize_t(3)});
    py::array_t<T> dL_dcameras({last_.views, columns});
    py::array_t<T> dL_dintrinsics({last_.views, py::ssize_t(4)});
    T* camera_rows = dL_dcameras.mutable_data();
    T* intrinsic_rows = dL_dintrinsics.mutable_data();
    if constexpr (std::is_same_v<T, double>) {
      std::vector<DoubleCameraGradient> camera_gradients(last_.views);
      {
        py::gil_scoped_release release;
        reference_->backward(
            {upstream, std::size_t(dL_dimages.size())},
            {reinterpret_cast<glm::dvec3*>(dL_dvertices.mutable_data()), std::size_t(vertices)},
            {reinterpret_cast<glm::dvec3*>(dL_dcolors.mutable_data()), std::size_t(vertices)},
            camera_gradients);
      }
      for (py::ssize_t v = 0; v < last_.views; ++v) {
        camera_gradient_to_row(camera_gradients[v], last_.model, camera_rows + v * columns);
        intrinsics_gradient_to_row(camera_gradients[v], intrinsic_rows + 4 * v);
      }
    } else {
      Renderer& renderer = float_renderer(last_.backend);
      Gradients gradients;
      {
        py::gil_scoped_release release;
        if (upstream_.views != last_.views || upstream_.height != last_.height ||
            upstream_.width != last_.width) {
          upstream_ = Images(int(last_.views), int(last_.height), int(last_.width));
        }
        std::memcpy(upstream_.rgba.data(), upstream, upstream_.rgba.size() * sizeof(float));
        try {
          gradients = renderer.backward(upstream_);
        } catch (const Error& error) {
          throw std::runtime_error(error.what());
        }
        std::memcpy(dL_dvertices.mutable_data(), gradients.dL_dpositions.data(),
                    vertices * 3 * sizeof(float));
        std::memcpy(dL_dcolors.mutable_data(), gradients.dL_dcolors.data(), vertices * 3 * sizeof(float));
      }
      for (py::ssize_t v = 0; v < last_.views; ++v) {
        camera_gradient_to_row(gradients.dL_dcameras[v], last_.model, camera_rows + v * columns);
        intrinsics_gradient_to_row(gradients.dL_dcameras[v], intrinsic_rows + 4 * v);
      }
    }
    return py::make_tuple(dL_dvertices, last_.has_colors ? py::object(dL_dcolors) : py::none(), dL_dcameras,
                          last_.has_intrinsics ? py::object(dL_dintrinsics) : py::none());
  }

  int threads_;
  std::mutex mutex_;
  std::map<Backend, std::unique_ptr<Renderer>> float_renderers_;
  std::unique_ptr<ReferenceRenderer> reference_;
  Images upstream_;  // dL/dimages in the layout Renderer::backward takes, reused across calls
  LastForward last_;
  std::uint64_t generation_ = 0;
};

/// Cameras on a ring, as the command line's --views/--azimuth/--elevation/--distance/--fov place them.
py::array_t<float> orbit_cameras(int views, float azimuth, float elevation, float distance, float fov) {
  if (views < 1 || views > 4096) {
    throw Error("views " + std::to_string(views) + " is out of range", "penumbra.orbit_cameras",
                "use 1 to 4096");
  }
  py::array_t<float> rows({py::ssize_t(views), kLookAtColumns});
  float* out = rows.mutable_data();
  for (int view = 0; view < views; ++view) {
    const Camera camera =
        Camera::orbit(azimuth + 360.0f * float(view) / float(views), elevation, distance, fov);
    camera.validate("penumbra.orbit_cameras");
    float* row = out + view * kLookAtColumns;
    for (int k = 0; k < 3; ++k) {
      row[k] = camera.eye[k];
      row[3 + k] = camera.at[k];
      row[6 + k] = camera.up[k];
    }
    row[9] = camera.fov_degrees;
  }
  return rows;
}

py::tuple mesh_arrays(const Mesh& mesh) {
  const py::ssize_t vertices = py::ssize_t(mesh.positions.size());
  py::array_t<float> positions({vertices, py::ssize_t(3)});
  std::memcpy(positions.mutable_data(), mesh.positions.data(), mesh.positions.size() * sizeof(glm::vec3));
  // int64, the index type torch indexes with.
  py::array_t<std::int64_t> faces({py::ssize_t(mesh.triangles.size()), py::ssize_t(3)});
  std::int64_t* indices = faces.mutable_data();
  for (std::size_t f = 0; f < mesh.triangles.size(); ++f) {
    for (int k = 0; k < 3; ++k) indices[3 * f + k] = mesh.triangles[f][k];
  }
  py::object colors = py::none();
  if (!mesh.colors.empty()) {
    py::array_t<float> c({vertices, py::ssize_t(3)});
    std::memcpy(c.mutable_data(), mesh.colors.data(), mesh.colors.size() * sizeof(glm::vec3));
    colors = c;
  }
  return py::make_tuple(positions, faces, colors);
}

/// A float32 Mesh from NumPy arrays, validated.
Mesh mesh_from_arrays(const py::array& vertices, const py::array& faces, const py::object& colors,
                      const std::string& where) {
  Mesh mesh;
  const float* positions = checked_data<float>(vertices, {-1, 3}, "vertices", where);
  const auto* p = reinterpret_cast<const glm::vec3*>(positions);
  mesh.positions.assign(p, p + vertices.shape(0));
  mesh.triangles = read_faces(faces, where);
  if (!colors.is_none()) {
    const py::array color_array(colors);
    const auto* c = reinterpret_cast<const glm::vec3*>(
        checked_data<float>(color_array, {vertices.shape(0), 3}, "colors", where));
    mesh.colors.assign(c, c + vertices.shape(0));
  }
  mesh.validate(where);
  return mesh;
}

}  // namespace

void bind_render(py::module_& m) {
  py::class_<Settings>(m, "Settings",
                       "Rasterisation settings with the command line's names, defaults and checks")
      .def(py::init(&make_settings), py::kw_only(), py::arg("size") = "256x256",
           py::arg("distribution") = "logistic", py::arg("squared") = false, py::arg("sigma") = py::none(),
           py::arg("shape") = 1.0f, py::arg("shift") = 0.0f, py::arg("aggregation") = "probabilistic",
           py::arg("p") = 2.0f, py::arg("gamma") = 1e-4f, py::arg("colors") = "softmax",
           py::arg("cull_back_faces") = false, py::arg("backend") = "cpu", py::arg("shading") = "unlit",
           py::arg("lights") = std::vector<std::string>{}, py::arg("ambient") = "0.3,0.3,0.3",
           py::arg("specular") = "0.3,0.3,0.3", py::arg("shininess") = 32.0f, py::arg("sh") = "",
           py::arg("flat_normals") = false)
      .def_property_readonly("width", [](const Settings& s) { return s.raster.width; })
      .def_property_readonly("height", [](const Settings& s) { return s.raster.height; })
      .def_property_readonly("distribution",
                             [](const Settings& s) { return std::string(name(s.raster.distribution)); })
      .def_property_readonly("squared", [](const Settings& s) { return s.raster.squared; })
      .def_property_readonly("sigma", [](const Settings& s) { return s.raster.sigma; })
      .def_property_readonly("shape", [](const Settings& s) { return s.raster.shape; })
      .def_property_readonly("shift", [](const Settings& s) { return s.raster.shift; })
      .def_property_readonly("aggregation",
                             [](const Settings& s) { return std::string(name(s.raster.aggregation)); })
      .def_property_readonly("p", [](const Settings& s) { return s.raster.p; })
      .def_property_readonly("gamma", [](const Settings& s) { return s.raster.gamma; })
      .def_property_readonly("colors", [](const Settings& s) { return std::string(name(s.raster.colors)); })
      .def_property_readonly("cull_back_faces",
                             [](const Settings& s) { return s.raster.back_faces == BackFaces::cull; })
      .def_property_readonly("backend", [](const Settings& s) { return s.backend; })
      .def_property_readonly("shading",
                             [](const Settings& s) { return std::string(name(s.raster.shading.model)); })
      .def("__repr__", &repr);

  py::class_<PyRenderer>(m, "Renderer", "Keeps backends and buffers alive across renders")
      .def(py::init<int>(), py::arg("threads") = 0)
      .def("forward", &PyRenderer::forward, py::arg("vertices"), py::arg("faces"), py::arg("cameras"),
           py::arg("settings"), py::arg("colors") = py::none(), py::arg("intrinsics") = py::none(),
           py::arg("intrinsics_size") = py::none(), py::arg("near") = 0.1, py::arg("far") = 100.0)
      .def("backward", &PyRenderer::backward, py::arg("dL_dimages"))
      .def_property_readonly("generation", &PyRenderer::generation)
      .def_property_readonly("last_backend", &PyRenderer::last_backend);

  m.def("orbit_cameras", &orbit_cameras, py::arg("views") = 1, py::kw_only(), py::arg("azimuth") = 0.0f,
        py::arg("elevation") = 30.0f, py::arg("distance") = kDefaultCameraDistance,
        py::arg("fov") = kDefaultFovDegrees);
  m.def(
      "icosphere", [](int level) { return mesh_arrays(icosphere(level)); }, py::arg("level"));
  m.def(
      "load_mesh",
      [](const std::string& path, bool normalize) {
        Mesh mesh = load_mesh(path);
        // As the command line does: the renderer shades with vertex colours, so a texture becomes them.
        if (mesh.has_texture()) bake_texture_to_colors(mesh);
        if (normalize) normalize_to_unit_sphere(mesh);
        return mesh_arrays(mesh);
      },
      py::arg("path"), py::kw_only(), py::arg("normalize") = true);
  m.def(
      "save_obj",
      [](const std::string& path, const py::array& vertices, const py::array& faces,
         const py::object& colors) {
        save_obj(mesh_from_arrays(vertices, faces, colors, "penumbra.save_obj"), path);
      },
      py::arg("path"), py::arg("vertices"), py::arg("faces"), py::arg("colors") = py::none());
  m.def(
      "vertex_normals",
      [](const py::array& vertices, const py::array& faces) {
        const Mesh mesh = mesh_from_arrays(vertices, faces, py::none(), "penumbra.vertex_normals");
        const std::vector<glm::vec3> normals = vertex_normals(mesh);
        py::array_t<float> out({py::ssize_t(normals.size()), py::ssize_t(3)});
        std::memcpy(out.mutable_data(), normals.data(), normals.size() * sizeof(glm::vec3));
        return out;
      },
      py::arg("vertices"), py::arg("faces"));
  m.def("distributions", [] {
    std::vector<std::string> names;
    for (Distribution d : all_distributions()) names.emplace_back(name(d));
    return names;
  });
  m.def("aggregations", [] {
    std::vector<std::string> names;
    for (Aggregation a : all_aggregations()) names.emplace_back(name(a));
    return names;
  });
}

}  // namespace penumbra::python
