// Oracle: a dense double-precision implementation of the forward pass, written plainly from the formulas of
// docs/rendering-maths.md and docs/fidelity.md (every face against every pixel, no culling, no tiles, none of
// engine/kernels/; GenDR's distributions by their closed forms, T-conorms by their pairwise formulas). It
// renders random triangle soups with off-screen faces, slivers, sub-pixel faces and faces beyond the far plane,
// in Penumbra's default conventions and in GenDR's. The rasteriser must give its images (double: 1e-9;
// float32: 1e-5), and its analytic gradients must match central differences of the reference. Faces across
// the near plane are clipped by the reference in camera space, as docs/rendering-maths.md says, before it
// projects them; the renderers must give its images for them too (double: 1e-9, float32: 1e-5).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "cpu/cpu_rasterizer.h"
#include "penumbra/reference_renderer.h"
#include "penumbra/renderer.h"

namespace penumbra::test {
namespace {

using Vec2d = glm::dvec2;
using Vec3d = glm::dvec3;

constexpr int kSize = 20;
constexpr double kNear = 1.0, kFar = 7.0;

struct Soup {
  std::vector<Vec3d> screen;  // NDC x, NDC y, camera depth
  std::vector<glm::uvec3> triangles;
  std::vector<Vec3d> colors;
};

Soup random_soup(unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> centre(-1.1, 1.1), extent(-0.5, 0.5), depth(1.5, 6.0), unit(0, 1);
  Soup soup;
  auto add = [&](Vec3d a, Vec3d b, Vec3d c) {
    const auto base = static_cast<unsigned>(soup.screen.size());
    soup.screen.insert(soup.screen.end(), {a, b, c});
    soup.triangles.push_back({base, base + 1, base + 2});
    for (int k = 0; k < 3; ++k) soup.colors.push_back({unit(random), unit(random), unit(random)});
  };
  for (int f = 0; f < 5; ++f) {
    const Vec2d o(centre(random), centre(random));
    auto corner = [&] { return Vec3d(o.x + extent(random), o.y + extent(random), depth(random)); };
    add(corner(), corner(), corner());
  }
  // Placed by hand, off the pixel grid's lines (a pixel centre exactly on an edge is inside for one rounding
  // and outside for another).
  add({-0.3013, 0.2031, 2.0}, {0.6047, 0.2519, 2.5}, {0.2011, 0.2373, 3.0});      // a sliver
  add({0.3117, -0.4213, 2.2}, {0.3319, -0.4107, 2.2}, {0.3161, -0.3953, 2.3});    // smaller than a pixel
  add({1.9031, -0.3017, 2.0}, {2.4029, 0.1013, 2.5}, {2.1047, 0.5011, 3.0});      // off screen
  add({-0.8037, -0.9019, 6.5}, {0.1043, -0.6011, 7.5}, {-0.4021, -0.2039, 8.0});  // crosses the far plane
  return soup;
}

// GenDR's CDFs of the unmirrored distributions at argument x (gamma with shape 2: P(2, u) = 1 - e^-u (1 + u)).
double base_cdf(Distribution d, double x) {
  using std::numbers::pi;
  switch (d) {
    case Distribution::uniform:
      return std::clamp((x + 1) / 2, 0.0, 1.0);
    case Distribution::cubic_hermite: {
      const double y = std::clamp((x + 1) / 2, 0.0, 1.0);
      return y * y * (3 - 2 * y);
    }
    case Distribution::wigner_semicircle:
      if (x <= -1) return 0;
      if (x >= 1) return 1;
      return 0.5 + x * std::sqrt(1 - x * x) / pi + std::asin(x) / pi;
    case Distribution::gaussian:
      return 0.5 * std::erfc(-x / std::sqrt(2.0));
    case Distribution::laplace:
      return x < 0 ? 0.5 * std::exp(x) : 1 - 0.5 * std::exp(-x);
    case Distribution::logistic:
      return 1 / (1 + std::exp(-x));
    case Distribution::hyperbolic_secant:
      return 2 / pi * std::atan(std::exp(x));
    case Distribution::cauchy:
      return std::atan(x) / pi + 0.5;
    case Distribution::reciprocal:
      return x / (2 * (1 + std::abs(x))) + 0.5;
    case Distribution::gumbel_max:
      return std::exp(-std::exp(-x));
    case Distribution::gumbel_min:
      return 1 - std::exp(-std::exp(x));
    case Distribution::exponential:
      return x > 0 ? 1 - std::exp(-x) : 0;
    case Distribution::gamma:
      return x > 0 ? 1 - std::exp(-x) * (1 + x) : 0;
    case Distribution::levy:
      return x > 0 ? std::erfc(std::sqrt(1 / (2 * x))) : 0;
    default:
      return 0;
  }
}

bool mirrored(Distribution d) {
  return d == Distribution::exponential_rev || d == Distribution::gamma_rev || d == Distribution::levy_rev;
}
Distribution base_of(Distribution d) { return mirrored(d) ? Distribution(int(d) - 1) : d; }

// Coverage of a pixel at signed distance value `v` (already squared if asked), in either convention.
double coverage(const RasterSettings& s, double v, bool inside) {
  if (s.distribution == Distribution::heaviside) return inside ? 1 : 0;
  const double t = v / s.sigma;
  const Distribution base = base_of(s.distribution);
  const bool shifted_in_gendr =
      base == Distribution::exponential || base == Distribution::gamma || base == Distribution::levy;
  if (!s.gendr_shifts) {
    const double x = t + s.shift;
    return mirrored(s.distribution) ? 1 - base_cdf(base, -x) : base_cdf(base, x);
  }
  // GenDR: no shift for the symmetric distributions and gumbel; mirrored ones are 1 - F(shift - t).
  if (mirrored(s.distribution)) {
    const double u = s.shift - t;
    if (s.gamma_saturation && base == Distribution::gamma && u > 15) return 0;
    return 1 - base_cdf(base, u);
  }
  const double u = t + (shifted_in_gendr ? s.shift : 0.0);
  if (s.gamma_saturation && base == Distribution::gamma && u > 15) return 1;
  return base_cdf(base, u);
}

// Pairwise T-conorms, folded from 0 in face order.
double tconorm(const RasterSettings& s, double a, double b) {
  const double p = s.p;
  switch (s.aggregation) {
    case Aggregation::max:
      return std::max(a, b);
    case Aggregation::probabilistic:
      return a + b - a * b;
    case Aggregation::einstein:
      return (a + b) / (1 + a * b);
    case Aggregation::hamacher:
      return 1 - (1 - a) * (1 - b) / (p + (1 - p) * (1 - a * b));
    case Aggregation::frank:
      return 1 - std::log1p((std::pow(p, 1 - a) - 1) * (std::pow(p, 1 - b) - 1) / (p - 1)) / std::log(p);
    case Aggregation::yager:
      return std::min(1.0, std::pow(std::pow(a, p) + std::pow(b, p), 1 / p));
    case Aggregation::aczel_alsina:
      if (a >= 1 || b >= 1) return 1;
      return 1 - std::exp(-std::pow(std::pow(-std::log1p(-a), p) + std::pow(-std::log1p(-b), p), 1 / p));
    case Aggregation::dombi:
      if (a <= 0) return b;
      if (b <= 0) return a;
      if (a >= 1 || b >= 1) return 1;
      return 1 / (1 + std::pow(std::pow(a / (1 - a), p) + std::pow(b / (1 - b), p), -1 / p));
    case Aggregation::schweizer_sklar:
      return 1 - std::pow(std::pow(1 - a, p) + std::pow(1 - b, p) - 1, 1 / p);
    default:
      return b > 0.5 ? 1 : a;  // hard
  }
}

double segment_distance(Vec2d p, Vec2d a, Vec2d b) {
  const Vec2d e = b - a;
  const double t = std::clamp(glm::dot(p - a, e) / glm::dot(e, e), 0.0, 1.0);
  return glm::length(a + t * e - p);
}

// The whole image, [row][col][rgba].
std::vector<double> reference_image(const Soup& soup, const RasterSettings& s) {
  std::vector<double> image(std::size_t(kSize) * kSize * 4);
  const Vec3d background(s.background);
  for (int row = 0; row < kSize; ++row) {
    for (int col = 0; col < kSize; ++col) {
      const Vec2d p((2.0 * col + 1 - kSize) / kSize, (kSize - 1 - 2.0 * row) / kSize);
      double alpha = 0, nearest = INFINITY;
      Vec3d hard_color = background;
      std::vector<double> logits{s.epsilon / s.gamma};
      std::vector<Vec3d> colors{background};
      std::vector<double> weights{1};
      for (const glm::uvec3 t : soup.triangles) {
        const Vec3d A = soup.screen[t.x], B = soup.screen[t.y], C = soup.screen[t.z];
        if (std::min({A.z, B.z, C.z}) < kNear) continue;
        const Vec2d a(A), b(B), c(C);
        // Barycentrics of p: the signed areas of the sub-triangles over the whole.
        auto area = [](Vec2d u, Vec2d v, Vec2d w) {
          return (v.x - u.x) * (w.y - u.y) - (v.y - u.y) * (w.x - u.x);
        };
        const double total = area(a, b, c);
        const Vec3d w(area(p, b, c) / total, area(a, p, c) / total, area(a, b, p) / total);
        const bool inside = w.x >= 0 && w.y >= 0 && w.z >= 0;
        const double d =
            std::min({segment_distance(p, a, b), segment_distance(p, b, c), segment_distance(p, c, a)});
        const double magnitude = s.squared ? d * d : d;
        const double D = coverage(s, inside ? magnitude : -magnitude, inside);
        // Colour weights: clipped barycentrics (inside they are the barycentrics themselves).
        Vec3d clipped = glm::clamp(w, 0.0, 1.0);
        clipped /= std::max(clipped.x + clipped.y + clipped.z, 1e-5);
        const double depth = 1 / (clipped.x / A.z + clipped.y / B.z + clipped.z / C.z);
        const Vec3d k =
            s.perspective_colors ? depth * Vec3d(clipped.x / A.z, clipped.y / B.z, clipped.z / C.z) : clipped;
        const Vec3d color = k.x * soup.colors[t.x] + k.y * soup.colors[t.y] + k.z * soup.colors[t.z];
        if (inside && depth < nearest) {
          nearest = depth;
          hard_color = color;
        }
        if (D <= s.coverage_epsilon) continue;
        alpha = tconorm(s, alpha, D);
        // The slack keeps a clipped face's edge at depth near, up to rounding, in range.
        if (s.colors_in_depth_range && (depth < kNear * 0.99999 || depth > kFar)) continue;
        logits.push_back((kFar - depth) / ((kFar - kNear) * s.gamma));
        colors.push_back(color);
        weights.push_back(D);
      }
      const double top = *std::max_element(logits.begin(), logits.end());
      double sum = 0;
      Vec3d blend(0);
      for (std::size_t j = 0; j < logits.size(); ++j) {
        const double weight = weights[j] * std::exp(logits[j] - top);
        sum += weight;
        blend += weight * colors[j];
      }
      const Vec3d rgb = s.colors == ColorMode::softmax ? blend / sum : hard_color;
      double* out = image.data() + (std::size_t(row) * kSize + col) * 4;
      out[0] = rgb.x;
      out[1] = rgb.y;
      out[2] = rgb.z;
      out[3] = alpha;
    }
  }
  return image;
}

template <class T>
std::vector<T> rasterise(const Soup& soup, const RasterSettings& s) {
  std::vector<glm::vec<3, T>> screen(soup.screen.begin(), soup.screen.end());
  std::vector<glm::vec<3, T>> colors(soup.colors.begin(), soup.colors.end());
  std::vector<glm::vec<2, T>> depth_range{{kNear, kFar}};
  detail::cpu::CpuRasterizer<T> rasterizer(2);
  std::vector<T> image(std::size_t(kSize) * kSize * 4);
  rasterizer.forward(detail::RasterScene<T>{1, screen, soup.triangles, colors, depth_range}, s, image);
  return image;
}

template <class T>
double max_difference(const std::vector<T>& image, const std::vector<double>& reference) {
  double worst = 0;
  for (std::size_t i = 0; i < image.size(); ++i)
    worst = std::max(worst, std::abs(double(image[i]) - reference[i]));
  return worst;
}

RasterSettings base_settings(bool gendr) {
  RasterSettings s;
  s.width = s.height = kSize;
  s.gamma = 0.05f;
  s.background = {0.2f, 0.3f, 0.4f};
  s.shape = 2.0f;  // the reference's gamma is the closed form of shape 2
  if (gendr) s.gendr_compatible();
  return s;
}

void expect_images_match(const Soup& soup, const RasterSettings& s, const std::string& label, bool float32) {
  const std::vector<double> reference = reference_image(soup, s);
  EXPECT_LT(max_difference(rasterise<double>(soup, s), reference), 1e-9) << label << " (double)";
  if (float32) {
    EXPECT_LT(max_difference(rasterise<float>(soup, s), reference), 1e-5) << label << " (float32)";
  }
}

class GendrReference : public ::testing::TestWithParam<bool> {};

TEST_P(GendrReference, EveryDistributionLinearAndSquaredWithShifts) {
  const Soup soup = random_soup(1);
  for (const Distribution distribution : all_distributions()) {
    for (const bool squared : {false, true}) {
      RasterSettings s = base_settings(GetParam());
      s.distribution = distribution;
      s.squared = squared;
      s.sigma = squared ? 2e-3f : 0.04f;
      s.shift = distribution == Distribution::heaviside ? 0.0f : (mirrored(distribution) ? -0.6f : 0.4f);
      expect_images_match(soup, s, std::string(name(distribution)) + (squared ? " squared" : " linear"),
                          true);
    }
  }
}

TEST_P(GendrReference, EveryTconormWithSeveralParameters) {
  const Soup soup = random_soup(2);
  const std::pair<Aggregation, std::vector<float>> cases[] = {{Aggregation::max, {0}},
                                                              {Aggregation::probabilistic, {0}},
                                                              {Aggregation::einstein, {0}},
                                                              {Aggregation::hamacher, {0.5f, 2}},
                                                              {Aggregation::frank, {0.3f, 3}},
                                                              {Aggregation::yager, {0.7f, 2}},
                                                              {Aggregation::aczel_alsina, {0.5f, 2}},
                                                              {Aggregation::dombi, {0.5f, 2}},
                                                              {Aggregation::schweizer_sklar, {-2, -0.5f}},
                                                              {Aggregation::hard, {0}}};
  for (const auto& [aggregation, parameters] : cases) {
    for (const float p : parameters) {
      RasterSettings s = base_settings(GetParam());
      s.aggregation = aggregation;
      s.p = p;
      s.squared = false;
      s.sigma = 0.04f;
      expect_images_match(soup, s, std::string(name(aggregation)) + " p=" + std::to_string(p), true);
    }
  }
}

TEST_P(GendrReference, SoftmaxTemperaturesAndHardColours) {
  const Soup soup = random_soup(3);
  for (const float gamma : {1e-4f, 1e-2f, 1.0f}) {
    RasterSettings s = base_settings(GetParam());
    s.gamma = gamma;
    // float32 depths cannot resolve a temperature of 1e-4 to 1e-5 in colour: that case is checked in double.
    expect_images_match(soup, s, "gamma " + std::to_string(gamma), gamma >= 1e-2f);
  }
  RasterSettings s = base_settings(GetParam());
  s.colors = ColorMode::hard;
  expect_images_match(soup, s, "hard colours", true);
}

TEST_P(GendrReference, GradientsMatchFiniteDifferencesOfTheReference) {
  const Soup soup = random_soup(4);
  for (const Distribution distribution :
       {Distribution::logistic, Distribution::gamma_rev, Distribution::cauchy}) {
    RasterSettings s = base_settings(GetParam());
    s.distribution = distribution;
    s.squared = false;
    s.sigma = 0.06f;
    s.shift = mirrored(distribution) ? -1.0f : 0.0f;
    s.coverage_epsilon = 1e-12f;  // keeps the skip rule's jump far below the differences
    const auto weights = [] {
      std::mt19937 random(5);
      std::uniform_real_distribution<double> value(-1, 1);
      std::vector<double> w(std::size_t(kSize) * kSize * 4);
      for (double& x : w) x = value(random);
      return w;
    }();
    auto loss = [&](const Soup& scene) {
      const std::vector<double> image = reference_image(scene, s);
      double total = 0;
      for (std::size_t i = 0; i < image.size(); ++i) total += weights[i] * image[i];
      return total;
    };
    detail::cpu::CpuRasterizer<double> rasterizer(2);
    std::vector<double> image(weights.size());
    std::vector<glm::dvec2> depth_range{{kNear, kFar}};
    rasterizer.forward(detail::RasterScene<double>{1, soup.screen, soup.triangles, soup.colors, depth_range},
                       s, image);
    std::vector<Vec3d> dL_dscreen(soup.screen.size()), dL_dcolors(soup.colors.size());
    rasterizer.backward(weights, dL_dscreen, dL_dcolors);
    double difference = 0, norm = 0;
    Soup moved = soup;
    for (std::size_t v = 0; v < soup.screen.size(); ++v) {
      for (int k = 0; k < 3; ++k) {
        const double step = 1e-6;
        moved.screen[v][k] = soup.screen[v][k] + step;
        const double up = loss(moved);
        moved.screen[v][k] = soup.screen[v][k] - step;
        const double down = loss(moved);
        moved.screen[v][k] = soup.screen[v][k];
        const double numeric = (up - down) / (2 * step);
        difference += (numeric - dL_dscreen[v][k]) * (numeric - dL_dscreen[v][k]);
        norm += numeric * numeric;
      }
    }
    EXPECT_GT(norm, 0.0) << name(distribution);
    EXPECT_LT(std::sqrt(difference / norm), 1e-5) << name(distribution) << ": dL/dscreen";
  }
}

// Faces in camera space (x right, y up, depth z), seen by a 90 degree camera at the origin: NDC = (x, y) / z.
struct CameraSpaceFaces {
  std::vector<Vec3d> points;  // three per face
  std::vector<Vec3d> colors;  // three per face
};

// Clips each face against z = kNear, walking its corners from corner 0 (each corner in front, then the
// crossing of the edge to the next corner), fans the polygon from its first point and projects it.
Soup clip_and_project(const CameraSpaceFaces& faces) {
  Soup soup;
  for (std::size_t f = 0; f < faces.points.size(); f += 3) {
    std::vector<Vec3d> points, colors;
    for (std::size_t k = 0; k < 3; ++k) {
      const std::size_t a = f + k, b = f + (k + 1) % 3;
      const Vec3d pa = faces.points[a], pb = faces.points[b];
      if (pa.z >= kNear) {
        points.push_back(pa);
        colors.push_back(faces.colors[a]);
      }
      if ((pa.z >= kNear) != (pb.z >= kNear)) {
        const std::size_t front = pa.z >= kNear ? a : b, back = pa.z >= kNear ? b : a;
        const Vec3d p = faces.points[front], q = faces.points[back];
        const double t = (p.z - kNear) / (p.z - q.z);
        if (t == 0) continue;  // the front corner lies on the plane: it is the crossing
        Vec3d crossing = p + t * (q - p);
        crossing.z = kNear;
        points.push_back(crossing);
        colors.push_back(faces.colors[front] + t * (faces.colors[back] - faces.colors[front]));
      }
    }
    for (std::size_t k = 1; k + 1 < points.size(); ++k) {
      for (const std::size_t corner : {std::size_t(0), k, k + 1}) {
        const Vec3d p = points[corner];
        soup.screen.push_back({p.x / p.z, p.y / p.z, p.z});
        soup.colors.push_back(colors[corner]);
      }
      const auto base = static_cast<unsigned>(soup.screen.size() - 3);
      soup.triangles.push_back({base, base + 1, base + 2});
    }
  }
  return soup;
}

CameraSpaceFaces faces_across_the_near_plane() {
  CameraSpaceFaces faces;
  auto add = [&](Vec3d a, Vec3d b, Vec3d c) {
    faces.points.insert(faces.points.end(), {a, b, c});
    const auto n = double(faces.colors.size());
    faces.colors.insert(faces.colors.end(), {{0.9, 0.1 + 0.01 * n, 0.2}, {0.1, 0.8, 0.3}, {0.2, 0.3, 0.9}});
  };
  add({-0.61, -0.43, 2.1}, {0.63, -0.29, 2.6}, {0.13, 0.52, 0.5});   // one corner behind near
  add({-0.71, 0.23, 3.1}, {-0.19, 0.61, 0.4}, {0.33, 0.12, 0.2});    // two corners behind near
  add({0.21, -0.62, 3.0}, {0.72, -0.21, 3.2}, {0.41, -0.53, -1.0});  // one corner behind the camera
  add({-0.3, -0.2, 0.9}, {0.3, -0.2, 0.8}, {0.0, 0.3, 0.5});         // every corner behind near
  add({-0.52, 0.11, 4.0}, {0.02, -0.69, 4.5}, {0.48, 0.37, 5.0});    // in front
  return faces;
}

TEST_P(GendrReference, FacesAcrossTheNearPlaneAreClippedBeforeProjection) {
  const CameraSpaceFaces faces = faces_across_the_near_plane();
  const Soup clipped = clip_and_project(faces);
  ASSERT_EQ(clipped.triangles.size(), 6u);  // two pieces, one, two, none, and the face in front
  // The renderers' camera: the pose at the origin looks down +z with y down (OpenCV), so world y = -y.
  DoubleCamera camera;
  camera.model = CameraModel::pose;
  camera.translation = glm::dvec3(0.0);
  camera.fov_degrees = 90.0;
  camera.near = kNear;
  camera.far = kFar;
  std::vector<Vec3d> positions, colors;
  std::vector<glm::uvec3> triangles;
  for (std::size_t v = 0; v < faces.points.size(); ++v) {
    positions.push_back({faces.points[v].x, -faces.points[v].y, faces.points[v].z});
    colors.push_back(faces.colors[v]);
  }
  for (unsigned f = 0; f < positions.size(); f += 3) triangles.push_back({f, f + 1, f + 2});
  Mesh mesh;
  mesh.positions.assign(positions.begin(), positions.end());
  mesh.colors.assign(colors.begin(), colors.end());
  mesh.triangles = triangles;
  Camera float_camera = Camera::from_pose(glm::vec3(0.0f), glm::vec3(0.0f));
  float_camera.fov_degrees = 90.0f;
  float_camera.near = float(kNear);
  float_camera.far = float(kFar);

  for (const ColorMode mode : {ColorMode::softmax, ColorMode::hard}) {
    RasterSettings s = base_settings(GetParam());
    s.colors = mode;
    s.squared = false;
    s.sigma = 0.02f;
    const std::vector<double> reference = reference_image(clipped, s);
    // The part in front covers pixels: alpha near 1 inside it.
    double largest_alpha = 0;
    for (std::size_t i = 3; i < reference.size(); i += 4)
      largest_alpha = std::max(largest_alpha, reference[i]);
    EXPECT_GT(largest_alpha, 0.99);
    std::vector<double> image(reference.size());
    ReferenceRenderer(2).forward(positions, triangles, colors, std::vector<DoubleCamera>{camera}, s, image);
    EXPECT_LT(max_difference(image, reference), 1e-9) << "double";
    Renderer renderer(Backend::cpu);
    const Images& images = renderer.forward(mesh, std::vector<Camera>{float_camera}, s);
    EXPECT_LT(max_difference(images.rgba, reference), 1e-5) << "float32";
  }
}

INSTANTIATE_TEST_SUITE_P(Conventions, GendrReference, ::testing::Values(false, true),
                         [](const auto& test) { return test.param ? "gendr" : "penumbra"; });

}  // namespace
}  // namespace penumbra::test
