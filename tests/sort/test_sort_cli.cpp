// Oracles: `penumbra sort` prints the reference soft-sorted values of docs/sorting.md (odd-even n = 5,
// steepness 10) and a P whose rows follow the stated convention; every bad input exits with code 2 and one
// line on stderr; a short `rank-train` with either scorer writes its metrics and learning curve.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

namespace penumbra::test {

namespace {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

CommandResult run_cli(const std::string& arguments) {
  const std::string command = std::string(PENUMBRA_CLI) + " " + arguments + " 2>&1";
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe)) result.output += buffer.data();
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace

TEST(SortCli, JsonMatchesDiffsortReference) {
  const CommandResult result = run_cli(
      "sort --network odd_even --relaxation cauchy --steepness 10 --values \"0.3,-0.1,0.25,1,0.8\" --json");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const nlohmann::json output = nlohmann::json::parse(result.output);
  const std::array<double, 5> expected = {-0.007, 0.233, 0.318, 0.794, 0.912};
  for (int rank = 0; rank < 5; ++rank)
    EXPECT_NEAR(output["sorted"][rank].get<double>(), expected[rank], 1e-3);
  // Input 1 (-0.1) is the smallest: most of its weight sits at rank 0.
  EXPECT_GT(output["permutation"][1][0].get<double>(), 0.7);
  EXPECT_NE(output["convention"].get<std::string>().find("input i at rank j"), std::string::npos);
}

TEST(SortCli, TextOutputStatesTheConvention) {
  const CommandResult result =
      run_cli("sort --network bitonic --relaxation optimal --steepness 5 --values \"3,1,2\"");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("sorted:"), std::string::npos);
  EXPECT_NE(result.output.find("P[i][j] = weight of input i at rank j"), std::string::npos);
}

TEST(SortCli, BadInputExitsWithCodeTwoAndOneLine) {
  const char* bad_arguments[] = {
      "sort --values \"1\"",                                             // n < 2
      "sort --values \"1,nan,2\"",                                       // NaN
      "sort --values \"1,inf,2\"",                                       // Inf
      "sort --values \"1,2\" --steepness 0",                             // steepness <= 0
      "sort --values \"1,2\" --steepness -3",                            // steepness < 0
      "sort --values \"1,2\" --relaxation sigmoid",                      // unknown relaxation
      "sort --values \"1,2\" --network bubble",                          // unknown network
      "sort --values \"1,two,3\"",                                       // unparsable value
      "sort --values \"1,,3\"",                                          // empty entry
      "sort --values \"1,2\" --relaxation logistic_phi --art-lambda 2",  // lambda out of range
      "sort",                                                            // no values
      "rank-train --n 1 --steps 1 --out rank_cli_bad",                   // n < 2
      "rank-train --relaxation sigmoid --steps 1 --out rank_cli_bad",
      "rank-train --steepness 0 --steps 1 --out rank_cli_bad",
      "rank-train --scorer resnet --steps 1 --out rank_cli_bad",
      "rank-train --lr-schedule step --steps 1 --out rank_cli_bad",
  };
  for (const char* arguments : bad_arguments) {
    const CommandResult result = run_cli(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments << "\n" << result.output;
    EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << arguments << "\n"
                                                                               << result.output;
  }
}

TEST(RankTrainCli, ShortRunWritesMetricsAndCurve) {
  if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")) {
    GTEST_SKIP() << "Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)";
  }
  for (const std::string scorer : {"mlp", "cnn"}) {
    const std::filesystem::path out = std::filesystem::current_path() / ("rank_train_smoke_" + scorer);
    std::filesystem::remove_all(out);
    const CommandResult result = run_cli(
        "rank-train --n 3 --steps 4 --batch 8 --eval-every 2 --test-sets 20 --lr-schedule cosine --quiet "
        "--scorer " +
        scorer + " --out " + out.string());
    ASSERT_EQ(result.exit_code, 0) << scorer << "\n" << result.output;
    std::ifstream metrics_file(out / "metrics.json");
    const nlohmann::json metrics = nlohmann::json::parse(metrics_file);
    EXPECT_EQ(metrics["scorer"].get<std::string>(), scorer);
    EXPECT_EQ(metrics["steps"].get<int>(), 4);
    EXPECT_GE(metrics["test_exact_match"].get<double>(), 0.0);
    EXPECT_LE(metrics["test_element_wise"].get<double>(), 1.0);
    EXPECT_GT(metrics["steps_per_second"].get<double>(), 0.0);
    std::ifstream curve_file(out / "learning_curve.csv");
    std::stringstream curve_stream;
    curve_stream << curve_file.rdbuf();
    const std::string curve = curve_stream.str();
    EXPECT_EQ(std::count(curve.begin(), curve.end(), '\n'), 3);  // header and steps 2, 4
  }
}

}  // namespace penumbra::test
