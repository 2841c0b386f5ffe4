// Nothing lost, nothing silent, end to end: a fit killed with SIGKILL at random moments and resumed each
// time ends with the checkpoint, result and loss.csv of an uninterrupted run; a damaged checkpoint is refused;
// a full disk (the file size limit) and an output that is a link to /dev/full fail with exit code 2 and leave
// no file that looks valid; SIGINT stops a fit with exit code 130 and a resumable folder.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include "command_line.h"
#include "fit_test_meshes.h"
#include "penumbra/mesh.h"

namespace penumbra {
namespace {

namespace fs = std::filesystem;

using test::CommandResult;
using test::read_bytes;
using test::run_penumbra;
using test::write_text;

fs::path write_cube(const fs::path& folder) {
  std::string obj;
  const Mesh cube = test::cube_mesh();
  for (const auto& p : cube.positions)
    obj += "v " + std::to_string(p.x) + " " + std::to_string(p.y) + " " + std::to_string(p.z) + "\n";
  for (const auto& t : cube.triangles)
    obj +=
        "f " + std::to_string(t.x + 1) + " " + std::to_string(t.y + 1) + " " + std::to_string(t.z + 1) + "\n";
  write_text(folder / "cube.obj", obj);
  return folder / "cube.obj";
}

std::string fit_arguments(const fs::path& cube, int iters) {
  return "fit --target-mesh " + cube.string() +
         " --template icosphere:1 --size 24 --views 6 --held-out 2 --iters " + std::to_string(iters) +
         " --checkpoint-every 3 --fit-colors --quiet --seed 5";
}

// Starts `penumbra arguments` and returns its process id (the shell execs it, so the id is penumbra's).
pid_t start_cli(const std::string& arguments) {
  const pid_t child = fork();
  if (child == 0) {
    const std::string command = "exec " + std::string(PENUMBRA_CLI) + " " + arguments + " >/dev/null 2>&1";
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return child;
}

// Exit code, or 128 + signal.
int wait_for(pid_t child) {
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool holds_temporary_file(const fs::path& folder) {
  for (const auto& entry : fs::recursive_directory_iterator(folder))
    if (entry.path().filename().string().find(".tmp.") != std::string::npos) return true;
  return false;
}

TEST(FitReliability, KilledAtRandomMomentsAndResumedEndsWhereAnUninterruptedFitDoes) {
  const fs::path folder = test::fresh_folder("reliability_kill");
  const fs::path cube = write_cube(folder);
  const std::string arguments = fit_arguments(cube, 24);
  const CommandResult whole = run_penumbra(arguments + " --out " + (folder / "whole").string());
  ASSERT_EQ(whole.exit_code, 0) << whole.output();

  const fs::path parts = folder / "parts";
  std::mt19937 random(17);
  std::uniform_int_distribution<int> delay_ms(20, 700);
  int kills = 0, resumes = 0;
  for (int attempt = 0; attempt < 40 && !fs::exists(parts / "result.obj"); ++attempt) {
    // Before the first checkpoint exists the fit starts again, as a user would; after, it resumes.
    const bool resumable = fs::exists(parts / "checkpoint.bin");
    resumes += resumable;
    const pid_t fit = start_cli(resumable ? "fit --quiet --resume " + parts.string()
                                          : arguments + " --force --out " + parts.string());
    // Eight kills, then the fit runs to its end.
    if (attempt < 8) {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
      kill(fit, SIGKILL);
    }
    const int code = wait_for(fit);
    kills += code == 128 + SIGKILL;
    ASSERT_TRUE(code == 0 || code == 128 + SIGKILL) << "exit code " << code;
  }
  ASSERT_TRUE(fs::exists(parts / "result.obj"));
  EXPECT_GE(resumes, 1);
  EXPECT_GE(kills, 1);
  RecordProperty("kills", kills);
  EXPECT_EQ(read_bytes(folder / "whole" / "loss.csv"), read_bytes(parts / "loss.csv"));
  EXPECT_EQ(read_bytes(folder / "whole" / "checkpoint.bin"), read_bytes(parts / "checkpoint.bin"));
  EXPECT_EQ(read_bytes(folder / "whole" / "result.obj"), read_bytes(parts / "result.obj"));
  EXPECT_FALSE(holds_temporary_file(parts));
}

TEST(FitReliability, ResumeRepairsADamagedLossCsvFromTheCheckpoint) {
  const fs::path folder = test::fresh_folder("reliability_loss_csv");
  const fs::path cube = write_cube(folder);
  const std::string arguments = fit_arguments(cube, 9);
  ASSERT_EQ(run_penumbra(arguments + " --out " + (folder / "whole").string()).exit_code, 0);
  const CommandResult stopped =
      run_penumbra(arguments + " --stop-after 6 --out " + (folder / "parts").string());
  ASSERT_EQ(stopped.exit_code, 0) << stopped.output();
  write_text(folder / "parts" / "loss.csv", "step,loss\n1,0.5\n");
  const CommandResult resumed = run_penumbra("fit --quiet --resume " + (folder / "parts").string());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output();
  EXPECT_EQ(read_bytes(folder / "whole" / "loss.csv"), read_bytes(folder / "parts" / "loss.csv"));
}

TEST(FitReliability, ADamagedCheckpointIsRefusedNamingTheFile) {
  const fs::path folder = test::fresh_folder("reliability_flips");
  const fs::path cube = write_cube(folder);
  const fs::path parts = folder / "parts";
  ASSERT_EQ(run_penumbra(fit_arguments(cube, 9) + " --stop-after 3 --out " + parts.string()).exit_code, 0);
  const std::string original = read_bytes(parts / "checkpoint.bin");
  ASSERT_GT(original.size(), 64u);
  std::mt19937 random(3);
  // Bytes in the magic, the step count, the RNG state, the parameters, the history and the checksum itself.
  std::vector<std::size_t> offsets = {
      0, 20, 30, original.size() / 2, original.size() - 70, original.size() - 1};
  for (int i = 0; i < 6; ++i)
    offsets.push_back(std::uniform_int_distribution<std::size_t>(0, original.size() - 1)(random));
  for (const std::size_t offset : offsets) {
    std::string damaged = original;
    damaged[offset] = char(damaged[offset] ^ 0x10);
    write_text(parts / "checkpoint.bin", damaged);
    const CommandResult resumed = run_penumbra("fit --quiet --resume " + parts.string());
    EXPECT_EQ(resumed.exit_code, 2) << "byte " << offset << ": " << resumed.output();
    EXPECT_NE(resumed.output().find("checkpoint.bin"), std::string::npos) << resumed.output();
    EXPECT_FALSE(fs::exists(parts / "result.obj"));
  }
  write_text(parts / "checkpoint.bin", original.substr(0, original.size() / 2));
  const CommandResult truncated = run_penumbra("fit --quiet --resume " + parts.string());
  EXPECT_EQ(truncated.exit_code, 2) << truncated.output();
  EXPECT_NE(truncated.output().find("damaged"), std::string::npos) << truncated.output();
}

TEST(FitReliability, AFullDiskFailsWithExitCode2AndLeavesNoTemporaryFile) {
  const fs::path folder = test::fresh_folder("reliability_full_disk");
  const fs::path cube = write_cube(folder);
  // 8 KiB per file: config.json and the first checkpoint fit, the snapshots and the results do not.
  const CommandResult fit = run_penumbra(fit_arguments(cube, 6) + " --out " + (folder / "out").string(),
                                         "ulimit -f 8; trap '' XFSZ;");
  EXPECT_EQ(fit.exit_code, 2) << fit.output();
  EXPECT_NE(fit.output().find("File too large"), std::string::npos) << fit.output();
  EXPECT_FALSE(fs::exists(folder / "out" / "result.obj"));
  EXPECT_FALSE(holds_temporary_file(folder / "out"));
  const CommandResult render =
      run_penumbra("render --mesh icosphere:3 --size 256 --out " + (folder / "big.png").string(),
                   "ulimit -f 8; trap '' XFSZ;");
  EXPECT_EQ(render.exit_code, 2) << render.output();
  EXPECT_FALSE(fs::exists(folder / "big.png"));
  EXPECT_FALSE(holds_temporary_file(folder));
}

TEST(FitReliability, AnOutputLinkedToDevFullIsRefused) {
  const fs::path folder = test::fresh_folder("reliability_dev_full");
  fs::create_symlink("/dev/full", folder / "view.png");
  const CommandResult render =
      run_penumbra("render --mesh icosphere:1 --size 16 --out " + (folder / "view.png").string());
  EXPECT_EQ(render.exit_code, 2) << render.output();
  EXPECT_NE(render.output().find("view.png"), std::string::npos) << render.output();
  EXPECT_TRUE(fs::is_symlink(folder / "view.png"));
}

TEST(FitReliability, SigintStopsWithExitCode130AndAResumableFolder) {
  const fs::path folder = test::fresh_folder("reliability_sigint");
  const fs::path cube = write_cube(folder);
  const fs::path out = folder / "out";
  const pid_t fit = start_cli(fit_arguments(cube, 100000) + " --out " + out.string());
  for (int i = 0; i < 300 && !fs::exists(out / "checkpoint.bin"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(fit, SIGINT);
  EXPECT_EQ(wait_for(fit), 130);
  const CommandResult resumed = run_penumbra("fit --quiet --iters 3 --resume " + out.string());
  EXPECT_EQ(resumed.exit_code, 0) << resumed.output();
}

}  // namespace
}  // namespace penumbra
