#include "penumbra/logic/binary_dataset.h"

#include "penumbra/error.h"

namespace penumbra::logic {

BinaryDataset binarize(const data::LabelledImages& images, const std::vector<float>& thresholds, int classes,
                       const std::string& name) {
  if (thresholds.empty()) {
    throw Error("no binarisation threshold given", name, "pass at least one threshold in (0, 1)");
  }
  for (float t : thresholds) {
    if (!(t > 0.0f && t < 1.0f)) {
      throw Error("binarisation threshold " + std::to_string(t) + " is outside (0, 1)", name,
                  "thresholds are fractions of full brightness, e.g. 0.5");
    }
  }
  BinaryDataset out;
  out.name = name;
  out.rows = images.rows;
  out.cols = images.cols;
  out.thresholds = thresholds;
  out.classes = classes;
  out.count = images.count;
  const std::size_t pixels = std::size_t(images.rows) * std::size_t(images.cols);
  out.inputs = int(pixels * thresholds.size());
  out.bits.resize(std::size_t(out.count) * std::size_t(out.inputs));
  out.labels = images.labels;
  for (std::size_t s = 0; s < std::size_t(out.count); ++s) {
    if (out.labels[s] >= classes) {
      throw Error("label " + std::to_string(out.labels[s]) + " is not below the class count " +
                      std::to_string(classes),
                  name + " sample " + std::to_string(s), "check that the label file belongs to this dataset");
    }
    const std::uint8_t* pixel = images.pixels.data() + s * pixels;
    std::uint8_t* bit = out.bits.data() + s * std::size_t(out.inputs);
    for (std::size_t t = 0; t < thresholds.size(); ++t) {
      const float level = thresholds[t] * 255.0f;
      for (std::size_t p = 0; p < pixels; ++p) bit[t * pixels + p] = float(pixel[p]) > level ? 1 : 0;
    }
  }
  return out;
}

BinaryDataset load_binary_split(const std::string& name, const std::string& folder, const std::string& prefix,
                                const std::vector<float>& thresholds) {
  constexpr int kClasses = 10;  // Fashion-MNIST and MNIST both have ten classes.
  std::string source = folder;
  if (source.empty()) {
    if (name != "fashion-mnist") {
      throw Error("no data folder for dataset '" + name + "'", "--dataset",
                  "use --dataset fashion-mnist or give --data-dir with train-*/t10k-* IDX files");
    }
    source = data::default_fashion_mnist_folder().string();
  }
  return binarize(data::read_mnist_split(source, prefix), thresholds, kClasses, name);
}

DatasetSplits load_binary_splits(const std::string& name, const std::string& folder,
                                 const std::vector<float>& thresholds) {
  DatasetSplits splits{load_binary_split(name, folder, "train", thresholds),
                       load_binary_split(name, folder, "t10k", thresholds)};
  if (splits.train.rows != splits.test.rows || splits.train.cols != splits.test.cols) {
    throw Error("train and test images differ in size", folder.empty() ? name : folder,
                "use the two splits of one dataset");
  }
  return splits;
}

std::vector<float> even_thresholds(int count) {
  std::vector<float> thresholds;
  for (int t = 1; t <= count; ++t) thresholds.push_back(float(t) / float(count + 1));
  return thresholds;
}

void keep_first(BinaryDataset& data, int count) {
  if (count <= 0 || count >= data.count) return;
  data.count = count;
  data.bits.resize(std::size_t(count) * std::size_t(data.inputs));
  data.labels.resize(std::size_t(count));
}

}  // namespace penumbra::logic
