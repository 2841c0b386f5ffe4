// Oracles: `penumbra sort` prints the reference soft-sorted values of docs/sorting.md (odd-even n = 5,
// steepness 10) and a P whose rows follow the stated convention; every bad input exits with code 2 and one
// line on stderr; a short `rank-train` with either scorer writes its folder (metrics, curves, plot, checkpoint,
// model); a run stopped by --max-minutes and resumed sitting after sitting ends bit for bit where an
// uninterrupted one does; SIGINT checkpoints and exits 130; `rank-eval` reproduces the run's test numbers from
// model.bin, and a damaged model, a wrong --n or a missing dataset exit 2 with one line.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "command_line.h"

namespace penumbra::test {

namespace {

const std::filesystem::path kFashionMnist = "/usr/share/datasets/fashion-mnist";

bool have_fashion_mnist() { return std::filesystem::exists(kFashionMnist / "train-images-idx3-ubyte.gz"); }

nlohmann::json read_metrics(const std::filesystem::path& folder) {
  return nlohmann::json::parse(read_bytes(folder / "metrics.json"));
}

// learning_curve.csv without its wall-time column.
std::string curve_without_times(const std::filesystem::path& folder) {
  std::stringstream in(read_bytes(folder / "learning_curve.csv"));
  std::string line;
  std::string kept;
  while (std::getline(in, line)) kept += line.substr(0, line.rfind(',')) + "\n";
  return kept;
}

std::filesystem::path fresh_folder(const std::string& name) {
  const std::filesystem::path folder = std::filesystem::current_path() / name;
  std::filesystem::remove_all(folder);
  return folder;
}

// A small, fast run: sets of 3, 8 sets per step, the MLP scorer.
const std::string kSmallRun =
    "rank-train --n 3 --batch 8 --validation-sets 20 --test-sets 20 --scorer mlp --quiet ";

void expect_one_line_usage_error(const CommandResult& result, const std::string& needle) {
  EXPECT_EQ(result.exit_code, 2) << result.output();
  EXPECT_EQ(result.line_count(), 1) << result.output();
  EXPECT_NE(result.output().find(needle), std::string::npos) << result.output();
}

}  // namespace

TEST(SortCli, JsonMatchesDiffsortReference) {
  const CommandResult result = run_penumbra(
      "sort --network odd_even --relaxation cauchy --steepness 10 --values \"0.3,-0.1,0.25,1,0.8\" --json");
  ASSERT_EQ(result.exit_code, 0) << result.output();
  const nlohmann::json output = nlohmann::json::parse(result.output());
  const std::array<double, 5> expected = {-0.007, 0.233, 0.318, 0.794, 0.912};
  for (int rank = 0; rank < 5; ++rank)
    EXPECT_NEAR(output["sorted"][rank].get<double>(), expected[rank], 1e-3);
  // Input 1 (-0.1) is the smallest: most of its weight sits at rank 0.
  EXPECT_GT(output["permutation"][1][0].get<double>(), 0.7);
  EXPECT_NE(output["convention"].get<std::string>().find("input i at rank j"), std::string::npos);
}

TEST(SortCli, TextOutputStatesTheConvention) {
  const CommandResult result =
      run_penumbra("sort --network bitonic --relaxation optimal --steepness 5 --values \"3,1,2\"");
  ASSERT_EQ(result.exit_code, 0) << result.output();
  EXPECT_NE(result.output().find("sorted:"), std::string::npos);
  EXPECT_NE(result.output().find("P[i][j] = weight of input i at rank j"), std::string::npos);
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
    const CommandResult result = run_penumbra(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments << "\n" << result.output();
    EXPECT_EQ(result.line_count(), 1) << arguments << "\n" << result.output();
  }
}

TEST(RankTrainCli, ShortRunWritesMetricsCurvesPlotCheckpointAndModel) {
  if (!have_fashion_mnist())
    GTEST_SKIP() << "Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)";
  for (const std::string scorer : {"mlp", "cnn"}) {
    const std::filesystem::path out = fresh_folder("rank_train_smoke_" + scorer);
    const CommandResult result = run_penumbra(
        "rank-train --n 3 --steps 4 --batch 8 --eval-every 2 --test-sets 20 --lr-schedule cosine --quiet "
        "--scorer " +
        scorer + (scorer == "cnn" ? " --channels 4,6" : "") + " --out " + out.string());
    ASSERT_EQ(result.exit_code, 0) << scorer << "\n" << result.output();
    const nlohmann::json metrics = read_metrics(out);
    EXPECT_EQ(metrics["status"].get<std::string>(), "done");
    EXPECT_EQ(metrics["settings"]["scorer"].get<std::string>(), scorer);
    EXPECT_EQ(metrics["steps"].get<int>(), 4);
    EXPECT_GE(metrics["test_exact_match"].get<double>(), 0.0);
    EXPECT_LE(metrics["test_element_wise"].get<double>(), 1.0);
    EXPECT_GT(metrics["steps_per_second"].get<double>(), 0.0);
    const std::string curve = read_bytes(out / "learning_curve.csv");
    EXPECT_EQ(std::count(curve.begin(), curve.end(), '\n'), 3);  // header and steps 2, 4
    const std::string losses = read_bytes(out / "loss.csv");
    EXPECT_EQ(std::count(losses.begin(), losses.end(), '\n'), 5);  // header and steps 1 to 4
    for (const char* file : {"loss.png", "checkpoint.bin", "config.json", "model.bin"})
      EXPECT_TRUE(std::filesystem::is_regular_file(out / file)) << file;
    // The saved scorer, of its kind and shape, gives the run's test numbers again.
    const CommandResult evaluated =
        run_penumbra("rank-eval --test-sets 20 --model " + (out / "model.bin").string());
    ASSERT_EQ(evaluated.exit_code, 0) << evaluated.output();
    char expected[160];
    std::snprintf(expected, sizeof(expected), "exact match %.4f, element-wise %.4f",
                  metrics["test_exact_match"].get<double>(), metrics["test_element_wise"].get<double>());
    EXPECT_NE(evaluated.output().find(expected), std::string::npos)
        << evaluated.output() << " vs " << expected;
  }
}

TEST(RankTrainCli, StoppedAndResumedRunEndsBitForBitWhereAnUninterruptedOneDoes) {
  if (!have_fashion_mnist())
    GTEST_SKIP() << "Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)";
  const std::filesystem::path whole = fresh_folder("rank_train_whole");
  ASSERT_EQ(run_penumbra(kSmallRun + "--steps 5 --eval-every 2 --out " + whole.string()).exit_code, 0);

  // A budget of a microsecond stops every sitting after one step, cleanly (exit 0, status "stopped").
  const std::filesystem::path pieces = fresh_folder("rank_train_pieces");
  CommandResult sitting =
      run_penumbra(kSmallRun + "--steps 5 --eval-every 2 --max-minutes 0.00000001 --out " + pieces.string());
  int sittings = 1;
  while (sitting.exit_code == 0 && !std::filesystem::exists(pieces / "model.bin") && sittings < 10) {
    const nlohmann::json metrics = read_metrics(pieces);
    EXPECT_EQ(metrics["status"].get<std::string>(), "stopped");
    EXPECT_EQ(metrics["steps"].get<int>(), sittings);
    sitting = run_penumbra("rank-train --quiet --max-minutes 0.00000001 --resume " + pieces.string());
    ++sittings;
  }
  ASSERT_EQ(sitting.exit_code, 0) << sitting.output();
  EXPECT_EQ(sittings, 5);
  EXPECT_EQ(read_metrics(pieces)["status"].get<std::string>(), "done");
  EXPECT_EQ(read_bytes(whole / "model.bin"), read_bytes(pieces / "model.bin"));
  EXPECT_EQ(read_bytes(whole / "loss.csv"), read_bytes(pieces / "loss.csv"));
  EXPECT_EQ(curve_without_times(whole), curve_without_times(pieces));
  EXPECT_EQ(read_metrics(whole)["test_exact_match"], read_metrics(pieces)["test_exact_match"]);
}

TEST(RankTrainCli, InterruptWritesACheckpointAndExits130) {
  if (!have_fashion_mnist())
    GTEST_SKIP() << "Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)";
  const std::filesystem::path out = fresh_folder("rank_train_interrupted");
  // SIGINT once the first checkpoint exists, i.e. while training runs (or give up if the run ends first).
  const std::string script = "sh -c '" + std::string(PENUMBRA_CLI) + " " + kSmallRun +
                             "--eval-every 1 --steps 1000000 --out " + out.string() +
                             " & pid=$!; while [ ! -f " + (out / "checkpoint.bin").string() +
                             " ] && kill -0 $pid; do sleep 0.05; done; kill -INT $pid; wait $pid; exit $?'";
  const CommandResult interrupted = run_shell(script);
  EXPECT_EQ(interrupted.exit_code, 130) << interrupted.output();
  const nlohmann::json metrics = read_metrics(out);
  EXPECT_EQ(metrics["status"].get<std::string>(), "interrupted");
  const int steps = metrics["steps"].get<int>();
  EXPECT_GE(steps, 1);
  EXPECT_FALSE(std::filesystem::exists(out / "model.bin"));
  // The checkpoint continues: one more step finishes the run.
  const CommandResult resumed =
      run_penumbra("rank-train --quiet --steps " + std::to_string(steps + 1) + " --resume " + out.string());
  EXPECT_EQ(resumed.exit_code, 0) << resumed.output();
  EXPECT_TRUE(std::filesystem::exists(out / "model.bin"));
}

TEST(RankEvalCli, SavedScorerGivesTheRunsTestNumbersAndBadInputExitsTwo) {
  if (!have_fashion_mnist())
    GTEST_SKIP() << "Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)";
  const std::filesystem::path out = fresh_folder("rank_eval_run");
  ASSERT_EQ(run_penumbra(kSmallRun + "--steps 2 --out " + out.string()).exit_code, 0);
  const nlohmann::json metrics = read_metrics(out);
  const CommandResult evaluated =
      run_penumbra("rank-eval --test-sets 20 --model " + (out / "model.bin").string());
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.output();
  char expected[160];
  std::snprintf(expected, sizeof(expected), "exact match %.4f, element-wise %.4f",
                metrics["test_exact_match"].get<double>(), metrics["test_element_wise"].get<double>());
  EXPECT_NE(evaluated.output().find(expected), std::string::npos) << evaluated.output() << " vs " << expected;

  const std::string model = read_bytes(out / "model.bin");
  const std::filesystem::path truncated = out / "truncated.bin";
  std::ofstream(truncated, std::ios::binary) << model.substr(0, model.size() / 2);
  expect_one_line_usage_error(run_penumbra("rank-eval --model " + truncated.string()), "truncated");
  const std::filesystem::path other = out / "other.bin";
  std::ofstream(other, std::ios::binary) << "not a scorer";
  expect_one_line_usage_error(run_penumbra("rank-eval --model " + other.string()), "magic");
  expect_one_line_usage_error(run_penumbra("rank-eval --n 5 --model " + (out / "model.bin").string()),
                              "--n 3");
  expect_one_line_usage_error(run_penumbra("rank-eval --data " + (out / "no_data").string() + " --model " +
                                           (out / "model.bin").string()),
                              "no_data");
  expect_one_line_usage_error(run_penumbra(kSmallRun + "--steps 2 --data " + (out / "no_data").string() +
                                           " --out " + (out / "x").string()),
                              "no_data");
  expect_one_line_usage_error(run_penumbra("rank-train --resume " + (out / "x").string()), "checkpoint");
  expect_one_line_usage_error(run_penumbra("rank-train --n 4 --resume " + out.string()), "--n");
  // A damaged checkpoint is refused before anything is trained.
  const std::filesystem::path damaged = out / "damaged";
  std::filesystem::create_directories(damaged);
  std::filesystem::copy_file(out / "config.json", damaged / "config.json");
  const std::string checkpoint = read_bytes(out / "checkpoint.bin");
  std::ofstream(damaged / "checkpoint.bin", std::ios::binary) << checkpoint.substr(0, checkpoint.size() - 9);
  expect_one_line_usage_error(run_penumbra("rank-train --resume " + damaged.string()), "checkpoint");
}

}  // namespace penumbra::test
