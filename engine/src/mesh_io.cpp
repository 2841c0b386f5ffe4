// Mesh files: OBJ through tinyobjloader, OFF and STL with small readers of their own, OBJ out.
#include <tiny_obj_loader.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "penumbra/error.h"
#include "penumbra/mesh.h"

namespace penumbra {
namespace {

std::string lower_extension(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open mesh file", path.string(), "check that the file exists and is readable");
  std::ostringstream content;
  content << in.rdbuf();
  std::string text = content.str();
  if (text.empty()) throw Error("mesh file is empty", path.string(), "give a mesh file with triangles");
  return text;
}

// Appends a polygon as a triangle fan.
void add_polygon(Mesh& mesh, const std::vector<glm::uint>& corners) {
  for (std::size_t k = 1; k + 1 < corners.size(); ++k) mesh.triangles.push_back({corners[0], corners[k], corners[k + 1]});
}

Mesh load_obj(const std::filesystem::path& path) {
  const std::string text = read_file(path);
  // tinyobjloader skips a face line without vertices and reads "nan" as a number; such files are malformed,
  // so say so with the line.
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    std::istringstream tokens(line);
    std::string keyword;
    tokens >> keyword;
    if (keyword == "v" || keyword == "vt" || keyword == "vn") {
      for (std::string token; tokens >> token;) {
        char* end = nullptr;
        const double value = std::strtod(token.c_str(), &end);
        if (end == token.c_str() || *end != '\0' || !std::isfinite(value)) {
          throw Error("'" + token + "' is not a finite number", path.string() + ":" + std::to_string(number),
                      "vertex lines hold finite numbers only");
        }
      }
      continue;
    }
    if (keyword != "f") continue;
    int corners = 0;
    for (std::string token; tokens >> token;) ++corners;
    if (corners < 3) {
      throw Error("face with " + std::to_string(corners) + " vertices", path.string() + ":" + std::to_string(number),
                  "every 'f' line needs at least three vertex indices");
    }
  }

  tinyobj::ObjReaderConfig config;
  config.triangulate = false;
  config.vertex_color = true;
  config.mtl_search_path = "";
  tinyobj::ObjReader reader;
  if (!reader.ParseFromString(text, "", config)) {
    std::string message = reader.Error();
    message.erase(std::remove(message.begin(), message.end(), '\n'), message.end());
    throw Error("malformed OBJ: " + message, path.string(), "fix the file or export it again");
  }
  const tinyobj::attrib_t& attrib = reader.GetAttrib();
  Mesh mesh;
  const std::size_t vertex_count = attrib.vertices.size() / 3;
  mesh.positions.resize(vertex_count);
  for (std::size_t v = 0; v < vertex_count; ++v) {
    mesh.positions[v] = {attrib.vertices[3 * v], attrib.vertices[3 * v + 1], attrib.vertices[3 * v + 2]};
  }
  // tinyobjloader fills colours with 1 when a file has none; keep them only if some vertex differs.
  const bool has_colors = attrib.colors.size() == attrib.vertices.size() &&
                          std::any_of(attrib.colors.begin(), attrib.colors.end(), [](float c) { return c != 1.0f; });
  if (has_colors) {
    mesh.colors.resize(vertex_count);
    for (std::size_t v = 0; v < vertex_count; ++v) {
      mesh.colors[v] = {attrib.colors[3 * v], attrib.colors[3 * v + 1], attrib.colors[3 * v + 2]};
    }
  }
  const bool has_uvs = !attrib.texcoords.empty();
  if (has_uvs) mesh.uvs.assign(vertex_count, glm::vec2(0.0f));
  for (const tinyobj::shape_t& shape : reader.GetShapes()) {
    std::size_t offset = 0;
    for (std::size_t face = 0; face < shape.mesh.num_face_vertices.size(); ++face) {
      const std::size_t corners = shape.mesh.num_face_vertices[face];
      std::vector<glm::uint> polygon;
      for (std::size_t k = 0; k < corners; ++k) {
        const tinyobj::index_t index = shape.mesh.indices[offset + k];
        if (index.vertex_index < 0 || static_cast<std::size_t>(index.vertex_index) >= vertex_count) {
          throw Error("face " + std::to_string(face) + " of '" + shape.name + "' refers to a vertex that does not exist",
                      path.string(), "OBJ indices start at 1 and must not exceed the number of 'v' lines");
        }
        polygon.push_back(static_cast<glm::uint>(index.vertex_index));
        if (has_uvs && index.texcoord_index >= 0 &&
            static_cast<std::size_t>(index.texcoord_index) * 2 + 1 < attrib.texcoords.size()) {
          mesh.uvs[index.vertex_index] = {attrib.texcoords[2 * index.texcoord_index],
                                          attrib.texcoords[2 * index.texcoord_index + 1]};
        }
      }
      add_polygon(mesh, polygon);
      offset += corners;
    }
  }
  return mesh;
}

Mesh load_off(const std::filesystem::path& path) {
  const std::string text = read_file(path);
  // Comments start with '#'; strip them so the rest is a plain stream of tokens.
  std::string cleaned;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) cleaned += line.substr(0, line.find('#')) + "\n";
  std::istringstream in(cleaned);
  std::string header;
  in >> header;
  if (header != "OFF" && header != "COFF") {
    throw Error("not an OFF file (first word is '" + header.substr(0, 20) + "')", path.string(),
                "OFF files start with the word OFF");
  }
  long long vertex_count = -1, face_count = -1, edge_count = -1;
  in >> vertex_count >> face_count >> edge_count;
  // Every vertex takes at least 6 characters and every face at least 8: counts beyond that are lies.
  const long long budget = static_cast<long long>(text.size());
  if (!in || vertex_count <= 0 || face_count <= 0 || vertex_count > budget / 6 || face_count > budget / 8) {
    throw Error("OFF header claims " + std::to_string(vertex_count) + " vertices and " +
                    std::to_string(face_count) + " faces, which the file cannot hold",
                path.string(), "the header's counts must match the file's contents");
  }
  Mesh mesh;
  mesh.positions.resize(static_cast<std::size_t>(vertex_count));
  for (auto& p : mesh.positions) {
    in >> p.x >> p.y >> p.z;
    if (header == "COFF") {
      float r, g, b, a;
      in >> r >> g >> b >> a;
    }
    // Skip the rest of the line (colours or extra values).
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    if (!in) throw Error("OFF vertex list is truncated or malformed", path.string(), "check the vertex lines");
  }
  for (long long f = 0; f < face_count; ++f) {
    long long corners = 0;
    in >> corners;
    if (!in || corners < 3 || corners > 1000) {
      throw Error("OFF face " + std::to_string(f) + " is truncated or malformed", path.string(),
                  "each face line is: count index index index ...");
    }
    std::vector<glm::uint> polygon;
    for (long long k = 0; k < corners; ++k) {
      long long index = -1;
      in >> index;
      if (!in || index < 0 || index >= vertex_count) {
        throw Error("OFF face " + std::to_string(f) + " refers to vertex " + std::to_string(index) +
                        " of " + std::to_string(vertex_count),
                    path.string(), "indices start at 0 and must be below the vertex count");
      }
      polygon.push_back(static_cast<glm::uint>(index));
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    add_polygon(mesh, polygon);
  }
  return mesh;
}

Mesh load_stl(const std::filesystem::path& path) {
  const std::string data = read_file(path);
  Mesh mesh;
  auto add_corner = [&](glm::vec3 p) {
    mesh.positions.push_back(p);
    return static_cast<glm::uint>(mesh.positions.size() - 1);
  };
  std::uint32_t binary_count = 0;
  if (data.size() >= 84) std::memcpy(&binary_count, data.data() + 80, 4);
  const bool binary = data.size() >= 84 && data.size() == 84 + 50ull * binary_count;
  if (binary) {
    for (std::uint32_t f = 0; f < binary_count; ++f) {
      const char* record = data.data() + 84 + 50ull * f;
      float v[9];
      std::memcpy(v, record + 12, sizeof(v));
      const glm::uint a = add_corner({v[0], v[1], v[2]}), b = add_corner({v[3], v[4], v[5]}),
                      c = add_corner({v[6], v[7], v[8]});
      mesh.triangles.push_back({a, b, c});
    }
    return mesh;
  }
  if (data.rfind("solid", 0) != 0) {
    throw Error("not an STL file (neither ASCII 'solid' nor a binary size that matches its count)", path.string(),
                "export the mesh again as STL, OBJ or OFF");
  }
  std::istringstream in(data);
  std::vector<glm::uint> corners;
  for (std::string word; in >> word;) {
    if (word == "vertex") {
      glm::vec3 p;
      in >> p.x >> p.y >> p.z;
      if (!in) throw Error("malformed STL vertex", path.string(), "each vertex line needs three numbers");
      corners.push_back(add_corner(p));
    } else if (word == "endloop") {
      if (corners.size() < 3) throw Error("STL facet with fewer than 3 vertices", path.string(), "fix the facet");
      add_polygon(mesh, corners);
      corners.clear();
    }
  }
  return mesh;
}

}  // namespace

Mesh load_mesh(const std::filesystem::path& path) {
  const std::string extension = lower_extension(path);
  Mesh mesh;
  if (extension == ".obj") {
    mesh = load_obj(path);
  } else if (extension == ".off") {
    mesh = load_off(path);
  } else if (extension == ".stl") {
    mesh = load_stl(path);
  } else {
    throw Error("unsupported mesh format '" + extension + "'", path.string(), "convert it to OBJ, OFF or STL");
  }
  mesh.validate(path.string());
  return mesh;
}

void save_obj(const Mesh& mesh, const std::filesystem::path& path) {
  std::ofstream out(path);
  if (!out) throw Error("cannot write OBJ file", path.string(), "check that the folder exists and is writable");
  out << "# written by penumbra\n";
  const bool colors = mesh.colors.size() == mesh.positions.size();
  for (std::size_t v = 0; v < mesh.positions.size(); ++v) {
    const glm::vec3 p = mesh.positions[v];
    out << "v " << p.x << ' ' << p.y << ' ' << p.z;
    if (colors) out << ' ' << mesh.colors[v].x << ' ' << mesh.colors[v].y << ' ' << mesh.colors[v].z;
    out << '\n';
  }
  for (const glm::uvec3 t : mesh.triangles) out << "f " << t.x + 1 << ' ' << t.y + 1 << ' ' << t.z + 1 << '\n';
  if (!out) throw Error("failed while writing OBJ file", path.string(), "check free disk space");
}

}  // namespace penumbra
