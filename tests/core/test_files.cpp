// The one way files are written and read whole: a failed write (a full disk, through RLIMIT_FSIZE) throws,
// leaves the old contents and no temporary file (and those of killed writers are cleared); a path that is a
// device, folder or link is refused; a read refuses files over its cap before allocating; any flipped byte
// changes the checksum.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "penumbra/error.h"
#include "penumbra/files.h"

namespace penumbra {
namespace {

namespace fs = std::filesystem;

fs::path fresh_folder(const std::string& name) {
  const fs::path folder = fs::temp_directory_path() / ("penumbra_files_" + name);
  fs::remove_all(folder);
  fs::create_directories(folder);
  return folder;
}

std::string contents(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int entries(const fs::path& folder) {
  int count = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder)) ++count;
  return count;
}

TEST(WriteFileAtomically, WritesTheBytesAndLeavesNoTemporaryFile) {
  const fs::path folder = fresh_folder("plain");
  write_file_atomically(folder / "a.bin", std::string("old"));
  write_file_atomically(folder / "a.bin", std::string("new\0bytes", 9));
  EXPECT_EQ(contents(folder / "a.bin"), std::string("new\0bytes", 9));
  EXPECT_EQ(entries(folder), 1);
}

// A full disk without mounting one: the file size limit makes write() fail with EFBIG, as ENOSPC would.
TEST(WriteFileAtomically, AFullDiskThrowsAndKeepsTheOldFile) {
  const fs::path folder = fresh_folder("full");
  write_file_atomically(folder / "a.bin", std::string("old contents"));
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{4096, 4096};
    setrlimit(RLIMIT_FSIZE, &limit);
    try {
      write_file_atomically(folder / "a.bin", std::string(100000, 'x'));
    } catch (const Error& error) {
      _exit(std::strstr(error.what(), "a.bin") != nullptr && std::strstr(error.what(), "large") ? 0 : 3);
    }
    _exit(4);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "3: the error does not name the file and reason; 4: nothing thrown";
  EXPECT_EQ(contents(folder / "a.bin"), "old contents");
  EXPECT_EQ(entries(folder), 1) << "the temporary file was left behind";
}

TEST(WriteFileAtomically, RefusesDevicesFoldersAndLinks) {
  const fs::path folder = fresh_folder("special");
  // A named pipe stands for a device: a regression here must not replace the machine's /dev/full.
  ASSERT_EQ(mkfifo((folder / "pipe").c_str(), 0600), 0);
  EXPECT_THROW(write_file_atomically(folder / "pipe", "x"), Error);
  fs::create_directories(folder / "sub");
  EXPECT_THROW(write_file_atomically(folder / "sub", "x"), Error);
  fs::create_symlink("/dev/full", folder / "link.png");
  EXPECT_THROW(write_file_atomically(folder / "link.png", "x"), Error);
  EXPECT_TRUE(fs::is_symlink(folder / "link.png"));
  EXPECT_THROW(write_file_atomically(folder / "missing" / "a.bin", "x"), Error);
  EXPECT_EQ(entries(folder), 3);
}

TEST(RemoveAbandonedTemporaryFiles, RemovesThoseOfDeadProcessesOnly) {
  const fs::path folder = fresh_folder("abandoned");
  const std::string mine = ".a.bin.tmp." + std::to_string(getpid()) + ".0";
  for (const std::string& name :
       {std::string(".a.bin.tmp.999999999.3"), mine, std::string("a.bin"), std::string("notes.tmp.1.txt")})
    std::ofstream(folder / name) << "x";
  EXPECT_EQ(remove_abandoned_temporary_files(folder), 1);
  EXPECT_FALSE(fs::exists(folder / ".a.bin.tmp.999999999.3"));
  EXPECT_EQ(entries(folder), 3);
}

TEST(ReadFile, RefusesAFileOverItsCapAndReadsOneUnderIt) {
  const fs::path folder = fresh_folder("read");
  write_file_atomically(folder / "a.bin", std::string(1000, 'y'));
  EXPECT_EQ(read_file(folder / "a.bin", 1000, "test file"), std::string(1000, 'y'));
  try {
    read_file(folder / "a.bin", 999, "test file");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("999"), std::string::npos) << error.what();
  }
  EXPECT_THROW(read_file(folder / "none.bin", 1000, "test file"), Error);
  EXPECT_THROW(read_file(folder, 1000, "test file"), Error);
}

TEST(Checksum64, EveryFlippedBitChangesIt) {
  std::string bytes = "a checkpoint's worth of bytes";
  const std::uint64_t original = checksum64(bytes);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      bytes[i] = char(bytes[i] ^ (1 << bit));
      EXPECT_NE(checksum64(bytes), original) << "byte " << i << " bit " << bit;
      bytes[i] = char(bytes[i] ^ (1 << bit));
    }
  }
  EXPECT_EQ(checksum64(bytes), original);
}

}  // namespace
}  // namespace penumbra
