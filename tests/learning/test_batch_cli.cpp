// `penumbra fit --batch` as a cluster runs it: shards that cover every job once, the Slurm array variables,
// a batch killed with SIGKILL at several moments that ends where an uninterrupted one does without redoing a
// finished job, every bad job listed before anything runs, merged summaries, and thread counts that follow
// the CPU affinity.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>

#include "command_line.h"
#include "fit_test_meshes.h"

namespace penumbra::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json read_json_file(const fs::path& path) { return json::parse(read_bytes(path)); }

void write_cube(const fs::path& path) {
  const Mesh cube = test::cube_mesh();
  std::string obj;
  for (const auto& p : cube.positions)
    obj += "v " + std::to_string(p.x) + " " + std::to_string(p.y) + " " + std::to_string(p.z) + "\n";
  for (const auto& t : cube.triangles)
    obj +=
        "f " + std::to_string(t.x + 1) + " " + std::to_string(t.y + 1) + " " + std::to_string(t.z + 1) + "\n";
  write_text(path, obj);
}

// A batch of `count` fits of the cube in `folder`, with paths relative to the batch file.
fs::path write_batch(const fs::path& folder, int count, int iters, int size) {
  write_cube(folder / "cube.obj");
  json jobs = json::array();
  for (int i = 0; i < count; ++i) {
    jobs.push_back({{"target-mesh", "cube.obj"},
                    {"template", "icosphere:1"},
                    {"size", std::to_string(size)},
                    {"views", 4},
                    {"held-out", 2},
                    {"iters", iters},
                    {"checkpoint-every", 5},
                    {"seed", i + 1},
                    {"out", "runs/job" + std::to_string(i)}});
  }
  write_text(folder / "jobs.json", jobs.dump(1));
  return folder / "jobs.json";
}

// The job indices a shard summary lists.
std::vector<int> summary_jobs(const fs::path& path) {
  std::vector<int> jobs;
  const json summary = read_json_file(path);
  for (const json& row : summary["jobs"]) jobs.push_back(row["job"].get<int>());
  return jobs;
}

int count_resumed(const fs::path& path) {
  const json summary = read_json_file(path);
  int resumed = 0;
  for (const json& row : summary["jobs"]) resumed += row["run"] == "resumed";
  return resumed;
}

// A summary's rows without what differs between two runs of the same jobs in two folders (folder, time,
// skipped or not).
json comparable_rows(const fs::path& path) {
  json rows = read_json_file(path)["jobs"];
  for (json& row : rows) {
    row.erase("out");
    row.erase("seconds");
    row.erase("run");
  }
  return rows;
}

class BatchCli : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = test::fresh_folder(std::string("batch_") +
                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  fs::path folder_;
};

TEST_F(BatchCli, ShardsCoverEveryJobExactlyOnceAndMerge) {
  const fs::path batch = write_batch(folder_, 7, 1, 8);
  // One real run finishes every job; the shard runs below find them finished and only plan and report.
  ASSERT_EQ(run_penumbra("fit --quiet --batch " + batch.string()).exit_code, 0);
  for (int count = 1; count <= 7; ++count) {
    std::multiset<int> seen;
    const fs::path summaries = folder_ / (std::string(1, 'n') + std::to_string(count));
    for (int index = 0; index < count; ++index) {
      const std::string shard = std::to_string(index) + "/" + std::to_string(count);
      const CommandResult run = run_penumbra("fit --quiet --batch " + batch.string() + " --shard " + shard +
                                             " --summary-dir " + summaries.string());
      ASSERT_EQ(run.exit_code, 0) << shard << "\n" << run.output();
      const fs::path summary =
          summaries / ("summary-" + std::to_string(index) + "-of-" + std::to_string(count) + ".json");
      for (int job : summary_jobs(summary)) {
        EXPECT_EQ(job % count, index) << shard;
        seen.insert(job);
      }
    }
    for (int job = 0; job < 7; ++job)
      EXPECT_EQ(seen.count(job), 1u) << "job " << job << " with " << count << " shards";
  }
  const fs::path three = folder_ / "n3";
  const CommandResult merged = run_penumbra("batch-summary " + three.string());
  EXPECT_EQ(merged.exit_code, 0) << merged.output();
  const json table = read_json_file(three / "batch-summary.json");
  ASSERT_EQ(table["jobs"].size(), 7u);
  for (const json& row : table["jobs"]) EXPECT_EQ(row["status"], "done") << row.dump();
  EXPECT_TRUE(fs::exists(three / "batch-summary.csv"));

  // Without shard 1's summary its jobs are found in their folders; without a folder as well, one is missing.
  fs::remove(three / "summary-1-of-3.json");
  EXPECT_EQ(run_penumbra("batch-summary " + three.string()).exit_code, 0);
  fs::remove_all(folder_ / "runs" / "job4");
  const CommandResult missing = run_penumbra("batch-summary " + three.string());
  EXPECT_EQ(missing.exit_code, 1) << missing.output();
  EXPECT_EQ(read_json_file(three / "batch-summary.json")["jobs"][4]["status"], "missing");
}

TEST_F(BatchCli, SlurmArrayVariablesChooseTheShardAndShardOverridesThem) {
  const fs::path batch = write_batch(folder_, 3, 1, 8);
  const std::string slurm = "SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=4";
  const CommandResult task = run_penumbra("fit --quiet --batch " + batch.string(), slurm);
  EXPECT_EQ(task.exit_code, 0) << task.output();
  EXPECT_NE(task.output().find("shard 1/3"), std::string::npos) << task.output();
  EXPECT_EQ(summary_jobs(folder_ / "summary-1-of-3.json"), std::vector<int>{1});
  EXPECT_TRUE(fs::exists(folder_ / "runs" / "job1" / "result.obj"));
  EXPECT_FALSE(fs::exists(folder_ / "runs" / "job0"));

  const CommandResult overridden =
      run_penumbra("fit --quiet --batch " + batch.string() + " --shard 0/2", slurm);
  EXPECT_EQ(overridden.exit_code, 0) << overridden.output();
  EXPECT_EQ(overridden.output().find("SLURM"), std::string::npos) << overridden.output();
  EXPECT_EQ(summary_jobs(folder_ / "summary-0-of-2.json"), (std::vector<int>{0, 2}));

  const CommandResult outside =
      run_penumbra("fit --quiet --batch " + batch.string(),
                   "SLURM_ARRAY_TASK_ID=7 SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=0");
  EXPECT_EQ(outside.exit_code, 2) << outside.output();
}

TEST_F(BatchCli, BadShardIsAUsageErrorAndRunsNothing) {
  const fs::path batch = write_batch(folder_, 2, 1, 8);
  for (const char* shard : {"0/0", "5/3", "-1/3", "one/two", "1", "1/2/3"}) {
    const CommandResult run = run_penumbra("fit --quiet --batch " + batch.string() + " --shard " + shard);
    EXPECT_EQ(run.exit_code, 2) << shard << "\n" << run.output();
    EXPECT_NE(run.output().find("--shard"), std::string::npos) << run.output();
  }
  EXPECT_FALSE(fs::exists(folder_ / "runs"));
}

TEST_F(BatchCli, EveryBadJobIsListedAndNothingRuns) {
  write_cube(folder_ / "cube.obj");
  write_text(folder_ / "jobs.json", R"([
    {"target-mesh": "cube.obj", "template": "icosphere:1", "size": "8", "iters": 1, "out": "runs/good"},
    {"target-mesh": "missing.obj", "out": "runs/missing"},
    {"target-mesh": "cube.obj", "distribution": "gausian", "out": "runs/distribution"},
    {"target-mesh": "cube.obj", "iters": "ten", "out": "runs/number"},
    {"target-mesh": "cube.obj", "out": "runs/good"}
  ])");
  const CommandResult run = run_penumbra("fit --quiet --batch " + (folder_ / "jobs.json").string());
  EXPECT_EQ(run.exit_code, 2) << run.output();
  for (const char* expected :
       {"job 1", "missing.obj", "job 2", "gausian", "job 3", "iters", "job 4", "also job 0", "4 of 5 job(s)"})
    EXPECT_NE(run.output().find(expected), std::string::npos) << expected << "\n" << run.output();
  EXPECT_EQ(run.output().find("job 0:"), std::string::npos) << run.output();
  EXPECT_FALSE(fs::exists(folder_ / "runs"));
  EXPECT_FALSE(fs::exists(folder_ / "summary-0-of-1.json"));
}

TEST_F(BatchCli, AJobFailingWhileRunningLeavesTheOthersAndItsReasonInTheSummary) {
  const fs::path batch = write_batch(folder_, 2, 2, 8);
  fs::create_directories(folder_ / "runs");
  write_text(folder_ / "runs" / "job0", "a file where the job's folder should go");
  const CommandResult run = run_penumbra("fit --quiet --batch " + batch.string());
  EXPECT_EQ(run.exit_code, 1) << run.output();
  EXPECT_NE(run.output().find("2 job(s), 1 failed"), std::string::npos) << run.output();
  EXPECT_TRUE(fs::exists(folder_ / "runs" / "job1" / "result.obj"));
  const json rows = read_json_file(folder_ / "summary-0-of-1.json")["jobs"];
  EXPECT_EQ(rows[0]["status"], "failed");
  EXPECT_NE(rows[0]["reason"].get<std::string>().find("job0"), std::string::npos) << rows[0].dump();
  EXPECT_EQ(rows[1]["status"], "done");
  EXPECT_NE(read_bytes(folder_ / "summary-0-of-1.csv").find("failed"), std::string::npos);
}

// Starts `penumbra arguments` and returns its process id.
pid_t start_cli(const std::string& arguments) {
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string command = "exec " + std::string(PENUMBRA_CLI) + " " + arguments + " > /dev/null 2>&1";
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

// Waits (at most 60 s) until `path` exists or the process ended; true when it exists.
bool wait_for(const fs::path& path, pid_t pid) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(path)) return true;
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return fs::exists(path);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return fs::exists(path);
}

TEST_F(BatchCli, KilledBatchResumesSkipsFinishedJobsAndEndsLikeAnUninterruptedOne) {
  // The same batch file in two folders: its relative paths keep their outputs apart.
  const fs::path whole = folder_ / "whole", parts = folder_ / "parts";
  fs::create_directories(whole);
  fs::create_directories(parts);
  const fs::path reference = write_batch(whole, 3, 20, 24);
  const fs::path batch = write_batch(parts, 3, 20, 24);
  const CommandResult uninterrupted = run_penumbra("fit --quiet --jobs 2 --batch " + reference.string());
  ASSERT_EQ(uninterrupted.exit_code, 0) << uninterrupted.output();

  // Kill moments: before any checkpoint, at job 0's first checkpoint, once job 0 finished, in job 2.
  const fs::path runs = parts / "runs";
  int resumed = 0;
  std::map<int, fs::file_time_type> finished;
  for (const fs::path& moment : {runs / "job0" / "config.json", runs / "job0" / "checkpoint.bin",
                                 runs / "job1" / "checkpoint.bin", runs / "job2" / "checkpoint.bin"}) {
    const pid_t pid = start_cli("fit --quiet --batch " + batch.string());
    ASSERT_GT(pid, 0);
    wait_for(moment, pid);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (fs::exists(parts / "summary-0-of-1.json")) resumed += count_resumed(parts / "summary-0-of-1.json");
    // A job finished now must not be run again by any later run.
    for (int job = 0; job < 3; ++job) {
      const fs::path result = runs / ("job" + std::to_string(job)) / "result.obj";
      if (fs::exists(result) && !finished.contains(job)) finished[job] = fs::last_write_time(result);
    }
  }
  const CommandResult last = run_penumbra("fit --quiet --batch " + batch.string());
  ASSERT_EQ(last.exit_code, 0) << last.output();
  resumed += count_resumed(parts / "summary-0-of-1.json");
  EXPECT_GT(resumed, 0) << "no run resumed from a checkpoint";
  EXPECT_FALSE(finished.empty()) << "no job finished before a kill";
  for (const auto& [job, time] : finished)
    EXPECT_EQ(fs::last_write_time(runs / ("job" + std::to_string(job)) / "result.obj"), time)
        << "job " << job;

  EXPECT_EQ(comparable_rows(parts / "summary-0-of-1.json").dump(),
            comparable_rows(whole / "summary-0-of-1.json").dump());
  for (int job = 0; job < 3; ++job) {
    const std::string name = "job" + std::to_string(job);
    EXPECT_EQ(read_bytes(runs / name / "result.obj"), read_bytes(whole / "runs" / name / "result.obj"))
        << name;
  }

  // A finished job folder is not overwritten by a single fit without --force.
  const CommandResult overwrite =
      run_penumbra("fit --quiet --iters 1 --size 8 --target-mesh " + (parts / "cube.obj").string() +
                   " --out " + (runs / "job0").string());
  EXPECT_EQ(overwrite.exit_code, 2) << overwrite.output();
  EXPECT_NE(overwrite.output().find("--force"), std::string::npos) << overwrite.output();
}

TEST(ThreadsCli, DefaultFollowsTheCpuAffinityAndThreadsOverrides) {
  if (std::system("command -v taskset > /dev/null") != 0)
    GTEST_SKIP() << "taskset (util-linux) is not installed";
  const CommandResult pinned = run_penumbra("info", "taskset -c 0");
  ASSERT_EQ(pinned.exit_code, 0) << pinned.output();
  EXPECT_NE(pinned.output().find("threads: 1 (CPU affinity"), std::string::npos) << pinned.output();
  const CommandResult bench =
      run_penumbra("bench --mesh icosphere:1 --size 16 --views 1 --repetitions 1", "taskset -c 0");
  ASSERT_EQ(bench.exit_code, 0) << bench.output();
  EXPECT_NE(bench.output().find("; 1 thread)"), std::string::npos) << bench.output();
  const CommandResult chosen =
      run_penumbra("bench --mesh icosphere:1 --size 16 --views 1 --repetitions 1 --threads 3");
  ASSERT_EQ(chosen.exit_code, 0) << chosen.output();
  EXPECT_NE(chosen.output().find("; 3 threads)"), std::string::npos) << chosen.output();
  EXPECT_EQ(run_penumbra("bench --mesh icosphere:1 --threads -2").exit_code, 2);
}

}  // namespace
}  // namespace penumbra::test
