// IDX files: a header that claims a gigabyte of values over a file that holds a few bytes is refused as
// truncated, naming the file, without first allocating what the header claims; a well-formed file reads back.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "fit_test_meshes.h"
#include "penumbra/data/idx.h"
#include "penumbra/error.h"

namespace penumbra::test {
namespace {

std::string idx_header(const std::vector<std::uint32_t>& dims) {
  std::string bytes = {0, 0, 0x08, char(dims.size())};
  for (const std::uint32_t dim : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(char((dim >> shift) & 0xff));
  }
  return bytes;
}

TEST(Idx, AForgedHugeHeaderIsRefusedAsTruncated) {
  const std::filesystem::path folder = fresh_folder("idx_forged");
  std::ofstream(folder / "forged.idx", std::ios::binary) << idx_header({4, 16384, 16384}) << "abc";
  try {
    data::read_idx(folder / "forged.idx");
    FAIL() << "a truncated file was accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("truncated"), std::string::npos) << error.what();
    EXPECT_EQ(error.where(), (folder / "forged.idx").string());
  }
}

TEST(Idx, AWellFormedFileReadsBack) {
  const std::filesystem::path folder = fresh_folder("idx_good");
  std::ofstream(folder / "good.idx", std::ios::binary) << idx_header({2, 3}) << "abcdef";
  const data::IdxArray array = data::read_idx(folder / "good.idx");
  ASSERT_EQ(array.dims.size(), 2u);
  EXPECT_EQ(array.dims[1], 3u);
  ASSERT_EQ(array.values.size(), 6u);
  EXPECT_EQ(array.values[5], 'f');
}

}  // namespace
}  // namespace penumbra::test
