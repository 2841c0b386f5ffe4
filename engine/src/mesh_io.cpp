// Mesh files: OBJ through tinyobjloader, PLY and glTF through assimp, OFF and STL with small readers of their
// own; OBJ and PLY out.
#include <assimp/Importer.hpp>
#include <assimp/postprocess.h>
#include <assimp/scene.h>
#include <tiny_obj_loader.h>

#include <array>
#include <map>
#include <set>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iomanip>
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
  for (std::size_t k = 1; k + 1 < corners.size(); ++k)
    mesh.triangles.push_back({corners[0], corners[k], corners[k + 1]});
}

// A texture file named by a material, relative to the folder of the file that names it.
Images load_texture(const std::filesystem::path& folder, const std::string& name, const std::string& where) {
  const std::filesystem::path file = folder / name;
  if (!std::filesystem::is_regular_file(file)) {
    throw Error("texture '" + name + "' named by a material does not exist", where,
                "put " + file.string() + " next to the mesh or remove the texture from its material");
  }
  return load_image(file);
}

// The one texture a mesh may carry, or none; a texture needs UVs on every face. `uv_hint` says how to add them.
bool has_one_texture(const std::set<std::string>& textures, bool corners_without_uv,
                     const std::filesystem::path& path, const std::string& uv_hint) {
  if (textures.size() > 1) {
    throw Error("the materials name " + std::to_string(textures.size()) + " textures", path.string(),
                "Penumbra takes one texture per mesh: bake them into one atlas");
  }
  if (textures.size() == 1 && corners_without_uv) {
    throw Error("the mesh has a texture but some faces have no texture coordinates", path.string(), uv_hint);
  }
  return textures.size() == 1;
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
      throw Error("face with " + std::to_string(corners) + " vertices",
                  path.string() + ":" + std::to_string(number),
                  "every 'f' line needs at least three vertex indices");
    }
  }

  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : ".";
  tinyobj::attrib_t attrib;
  std::vector<tinyobj::shape_t> shapes;
  std::vector<tinyobj::material_t> materials;
  std::string warning, error;
  std::istringstream stream(text);
  tinyobj::MaterialFileReader material_reader(folder.string());
  if (!tinyobj::LoadObj(&attrib, &shapes, &materials, &warning, &error, &stream, &material_reader, false,
                        true)) {
    error.erase(std::remove(error.begin(), error.end(), '\n'), error.end());
    throw Error("malformed OBJ: " + error, path.string(), "fix the file or export it again");
  }
  Mesh mesh;
  const std::size_t vertex_count = attrib.vertices.size() / 3;
  mesh.positions.resize(vertex_count);
  for (std::size_t v = 0; v < vertex_count; ++v) {
    mesh.positions[v] = {attrib.vertices[3 * v], attrib.vertices[3 * v + 1], attrib.vertices[3 * v + 2]};
  }
  // tinyobjloader fills colours with 1 when a file has none; keep them only if some vertex differs.
  const bool has_colors =
      attrib.colors.size() == attrib.vertices.size() &&
      std::any_of(attrib.colors.begin(), attrib.colors.end(), [](float c) { return c != 1.0f; });
  if (has_colors) {
    mesh.colors.resize(vertex_count);
    for (std::size_t v = 0; v < vertex_count; ++v) {
      mesh.colors[v] = {attrib.colors[3 * v], attrib.colors[3 * v + 1], attrib.colors[3 * v + 2]};
    }
  }
  std::set<std::string> textures;
  bool corners_without_uv = false;
  const std::size_t texcoord_count = attrib.texcoords.size() / 2;
  for (const tinyobj::shape_t& shape : shapes) {
    std::size_t offset = 0;
    for (std::size_t face = 0; face < shape.mesh.num_face_vertices.size(); ++face) {
      const std::size_t corners = shape.mesh.num_face_vertices[face];
      const int material = face < shape.mesh.material_ids.size() ? shape.mesh.material_ids[face] : -1;
      if (material >= 0 && std::size_t(material) < materials.size() &&
          !materials[std::size_t(material)].diffuse_texname.empty()) {
        textures.insert(materials[std::size_t(material)].diffuse_texname);
      }
      std::vector<glm::uint> polygon;
      std::vector<glm::vec2> polygon_uvs;
      for (std::size_t k = 0; k < corners; ++k) {
        const tinyobj::index_t index = shape.mesh.indices[offset + k];
        if (index.vertex_index < 0 || static_cast<std::size_t>(index.vertex_index) >= vertex_count) {
          throw Error("face " + std::to_string(face) + " of '" + shape.name +
                          "' refers to a vertex that does not exist",
                      path.string(), "OBJ indices start at 1 and must not exceed the number of 'v' lines");
        }
        polygon.push_back(static_cast<glm::uint>(index.vertex_index));
        const bool has_uv = index.texcoord_index >= 0 && std::size_t(index.texcoord_index) < texcoord_count;
        corners_without_uv = corners_without_uv || !has_uv;
        polygon_uvs.push_back(has_uv ? glm::vec2(attrib.texcoords[2 * std::size_t(index.texcoord_index)],
                                                 attrib.texcoords[2 * std::size_t(index.texcoord_index) + 1])
                                     : glm::vec2(0.0f));
      }
      add_polygon(mesh, polygon);
      for (std::size_t k = 1; k + 1 < polygon_uvs.size(); ++k) {
        mesh.corner_uvs.insert(mesh.corner_uvs.end(), {polygon_uvs[0], polygon_uvs[k], polygon_uvs[k + 1]});
      }
      offset += corners;
    }
  }
  if (texcoord_count == 0) mesh.corner_uvs.clear();
  if (has_one_texture(textures, corners_without_uv, path,
                      "give every face 'vt' indices (f v/vt ...) or remove map_Kd")) {
    mesh.texture = load_texture(folder, *textures.begin(), path.string());
  }
  return mesh;
}

// Where assimp keeps a material's base-colour texture: an embedded image ("*0" or a name in a .glb) or a
// file beside the model.
Images assimp_texture(const aiScene& scene, const std::string& name, const std::filesystem::path& path) {
  if (const aiTexture* embedded = scene.GetEmbeddedTexture(name.c_str())) {
    if (embedded->mHeight == 0) {
      const auto* bytes = reinterpret_cast<const unsigned char*>(embedded->pcData);
      return read_image(std::span(bytes, embedded->mWidth), path.string() + ", texture " + name).pixels;
    }
    Images texture(1, int(embedded->mHeight), int(embedded->mWidth));
    for (std::size_t i = 0; i < texture.pixels_per_view(); ++i) {
      const aiTexel texel = embedded->pcData[i];
      texture.rgba[4 * i] = texel.r / 255.0f;
      texture.rgba[4 * i + 1] = texel.g / 255.0f;
      texture.rgba[4 * i + 2] = texel.b / 255.0f;
      texture.rgba[4 * i + 3] = texel.a / 255.0f;
    }
    return texture;
  }
  return load_texture(path.has_parent_path() ? path.parent_path() : ".", name, path.string());
}

std::string base_color_texture(const aiMaterial& material) {
  aiString name;
  for (const aiTextureType type : {aiTextureType_BASE_COLOR, aiTextureType_DIFFUSE}) {
    if (material.GetTextureCount(type) > 0 && material.GetTexture(type, 0, &name) == AI_SUCCESS) {
      return name.C_Str();
    }
  }
  return {};
}

// PLY and glTF: every triangle of every mesh of the scene, in world coordinates, with vertices welded by
// position so that the result is one connected surface.
Mesh load_with_assimp(const std::filesystem::path& path) {
  read_file(path);
  Assimp::Importer importer;
  importer.SetPropertyInteger(AI_CONFIG_PP_SBP_REMOVE, aiPrimitiveType_POINT | aiPrimitiveType_LINE);
  const aiScene* scene = nullptr;
  try {
    scene = importer.ReadFile(path.string(), aiProcess_Triangulate | aiProcess_PreTransformVertices |
                                                 aiProcess_SortByPType | aiProcess_ValidateDataStructure);
  } catch (const std::exception& error) {
    throw Error(std::string("cannot read mesh: ") + error.what(), path.string(),
                "fix the file or export it again");
  }
  if (!scene || (scene->mFlags & AI_SCENE_FLAGS_INCOMPLETE) || !scene->mRootNode) {
    std::string message = importer.GetErrorString();
    message.erase(std::remove(message.begin(), message.end(), '\n'), message.end());
    throw Error("cannot read mesh: " + (message.empty() ? std::string("incomplete scene") : message),
                path.string(), "fix the file or export it again");
  }
  Mesh mesh;
  std::map<std::array<float, 3>, glm::uint> welded;
  std::set<std::string> textures;
  bool corners_without_uv = false, any_colors = false;
  for (unsigned m = 0; m < scene->mNumMeshes; ++m) {
    const aiMesh& part = *scene->mMeshes[m];
    if (!(part.mPrimitiveTypes & aiPrimitiveType_TRIANGLE)) continue;
    const std::string texture = part.mMaterialIndex < scene->mNumMaterials
                                    ? base_color_texture(*scene->mMaterials[part.mMaterialIndex])
                                    : "";
    if (!texture.empty()) textures.insert(texture);
    const bool has_uvs = part.HasTextureCoords(0), has_colors = part.HasVertexColors(0);
    corners_without_uv = corners_without_uv || !has_uvs;
    std::vector<glm::uint> index_of(part.mNumVertices);
    for (unsigned v = 0; v < part.mNumVertices; ++v) {
      const aiVector3D p = part.mVertices[v];
      const auto [it, inserted] = welded.try_emplace({p.x, p.y, p.z}, glm::uint(mesh.positions.size()));
      if (inserted) {
        mesh.positions.push_back({p.x, p.y, p.z});
        const aiColor4D c = has_colors ? part.mColors[0][v] : aiColor4D(1.0f, 1.0f, 1.0f, 1.0f);
        mesh.colors.push_back({c.r, c.g, c.b});
      }
      any_colors = any_colors || has_colors;
      index_of[v] = it->second;
    }
    for (unsigned f = 0; f < part.mNumFaces; ++f) {
      const aiFace& face = part.mFaces[f];
      if (face.mNumIndices != 3) continue;
      glm::uvec3 triangle;
      for (int k = 0; k < 3; ++k) {
        if (face.mIndices[k] >= part.mNumVertices) {
          throw Error("face " + std::to_string(f) + " refers to a vertex that does not exist", path.string(),
                      "indices must be below the vertex count");
        }
        triangle[k] = index_of[face.mIndices[k]];
        const aiVector3D uv = has_uvs ? part.mTextureCoords[0][face.mIndices[k]] : aiVector3D(0.0f);
        mesh.corner_uvs.push_back({uv.x, uv.y});
      }
      mesh.triangles.push_back(triangle);
    }
  }
  if (!any_colors) mesh.colors.clear();
  if (has_one_texture(textures, corners_without_uv, path, "export the mesh with UVs on every part")) {
    mesh.texture = assimp_texture(*scene, *textures.begin(), path);
  } else if (corners_without_uv) {
    mesh.corner_uvs.clear();
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
    if (!in)
      throw Error("OFF vertex list is truncated or malformed", path.string(), "check the vertex lines");
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
        throw Error("OFF face " + std::to_string(f) + " refers to vertex " + std::to_string(index) + " of " +
                        std::to_string(vertex_count),
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
    throw Error("not an STL file (neither ASCII 'solid' nor a binary size that matches its count)",
                path.string(), "export the mesh again as STL, OBJ or OFF");
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
      if (corners.size() < 3)
        throw Error("STL facet with fewer than 3 vertices", path.string(), "fix the facet");
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
  } else if (extension == ".ply" || extension == ".gltf" || extension == ".glb") {
    mesh = load_with_assimp(path);
  } else {
    throw Error("unsupported mesh format '" + extension + "'", path.string(),
                "convert it to OBJ, PLY, glTF (.gltf, .glb), OFF or STL");
  }
  mesh.validate(path.string());
  return mesh;
}

void save_obj(const Mesh& mesh, const std::filesystem::path& path) {
  std::ostringstream out;
  out << std::setprecision(9) << "# written by penumbra\n";
  const bool colors = mesh.colors.size() == mesh.positions.size();
  for (std::size_t v = 0; v < mesh.positions.size(); ++v) {
    const glm::vec3 p = mesh.positions[v];
    out << "v " << p.x << ' ' << p.y << ' ' << p.z;
    if (colors) out << ' ' << mesh.colors[v].x << ' ' << mesh.colors[v].y << ' ' << mesh.colors[v].z;
    out << '\n';
  }
  for (const glm::uvec3 t : mesh.triangles)
    out << "f " << t.x + 1 << ' ' << t.y + 1 << ' ' << t.z + 1 << '\n';
  write_file_atomically(path, out.str());
}

void save_ply(const Mesh& mesh, const std::filesystem::path& path) {
  const bool colors = mesh.colors.size() == mesh.positions.size();
  const std::vector<glm::vec3> normals = vertex_normals(mesh);
  std::ostringstream out;
  out << std::setprecision(9) << "ply\nformat ascii 1.0\ncomment written by penumbra\nelement vertex "
      << mesh.positions.size() << "\nproperty float x\nproperty float y\nproperty float z\n"
      << "property float nx\nproperty float ny\nproperty float nz\n";
  if (colors) out << "property uchar red\nproperty uchar green\nproperty uchar blue\n";
  out << "element face " << mesh.triangles.size() << "\nproperty list uchar int vertex_indices\nend_header\n";
  const auto byte = [](float c) {
    return std::lround(std::clamp(std::isfinite(c) ? c : 0.0f, 0.0f, 1.0f) * 255.0f);
  };
  for (std::size_t v = 0; v < mesh.positions.size(); ++v) {
    const glm::vec3 p = mesh.positions[v], n = normals[v];
    out << p.x << ' ' << p.y << ' ' << p.z << ' ' << n.x << ' ' << n.y << ' ' << n.z;
    if (colors)
      out << ' ' << byte(mesh.colors[v].x) << ' ' << byte(mesh.colors[v].y) << ' ' << byte(mesh.colors[v].z);
    out << '\n';
  }
  for (const glm::uvec3 t : mesh.triangles) out << "3 " << t.x << ' ' << t.y << ' ' << t.z << '\n';
  write_file_atomically(path, out.str());
}

}  // namespace penumbra
