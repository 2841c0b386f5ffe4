// Atomic whole-file writes on POSIX (open, write, fsync, rename, fsync of the folder), capped whole-file reads
// and the checksum of Penumbra's binary files.
#include "penumbra/files.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string_view>
#include <system_error>

#include "penumbra/error.h"

namespace penumbra {
namespace {

namespace fs = std::filesystem;

constexpr const char* kWriteHint = "check that the folder exists, is writable and has space";

[[noreturn]] void fail(const std::string& what, int error, const fs::path& path,
                       const char* hint = kWriteHint) {
  throw Error(what + ": " + std::strerror(error), path.string(), hint);
}

constexpr std::string_view kTemporaryMark = ".tmp.";

// A name no other writer uses at the same time, hidden, beside the final file (rename needs one filesystem):
// ".NAME.tmp.PID.COUNTER".
fs::path temporary_beside(const fs::path& path) {
  static std::atomic<unsigned> counter{0};
  std::string name = ".";
  name += path.filename().string();
  name += kTemporaryMark;
  name += std::to_string(::getpid());
  name += ".";
  name += std::to_string(counter.fetch_add(1));
  return path.parent_path() / name;
}

// Writes everything or returns the errno of the first failure (0 on success); retries interrupted writes.
int write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    bytes.remove_prefix(std::size_t(written));
  }
  return 0;
}

// Makes the rename itself durable. Some filesystems cannot fsync a folder (EINVAL): nothing more can be done
// there, and the file's own contents are already on disk.
void sync_folder(const fs::path& folder, const fs::path& path) {
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail("cannot open the folder to sync it", errno, path);
  const int synced = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (synced != 0 && error != EINVAL && error != EROFS) fail("cannot sync the folder", error, path);
}

}  // namespace

void write_file_atomically(const fs::path& path, std::string_view bytes) {
  std::error_code status_error;
  const fs::file_status status = fs::symlink_status(path, status_error);
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    throw Error("the output path exists and is not a regular file", path.string(),
                fs::is_symlink(status) ? "give the path the link points to, or remove the link"
                                       : "give a file name (an output never replaces a folder or a device)");
  }
  const fs::path temporary = temporary_beside(path);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) fail("cannot create the file", errno, path);
  int error = write_all(fd, bytes);
  const char* step = "cannot write the file";
  if (error == 0 && ::fsync(fd) != 0) {
    error = errno;
    step = "cannot sync the file to disk";
  }
  // close can report a deferred write error (NFS, quotas): it is checked like the writes.
  if (::close(fd) != 0 && error == 0) {
    error = errno;
    step = "cannot close the file";
  }
  if (error == 0 && ::rename(temporary.c_str(), path.c_str()) != 0) {
    error = errno;
    step = "cannot move the written file into place";
  }
  if (error != 0) {
    ::unlink(temporary.c_str());
    fail(step, error, path);
  }
  sync_folder(path.parent_path(), path);
}

int remove_abandoned_temporary_files(const fs::path& folder) {
  int removed = 0;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    const std::size_t mark = name.rfind(kTemporaryMark);
    if (name.empty() || name[0] != '.' || mark == std::string::npos) continue;
    const std::string numbers = name.substr(mark + kTemporaryMark.size());
    const std::size_t dot = numbers.find('.');
    if (dot == std::string::npos || dot == 0 || numbers.find_first_not_of("0123456789.") != std::string::npos)
      continue;
    const long pid = std::stol(numbers.substr(0, dot));
    if (pid == ::getpid() || ::kill(pid_t(pid), 0) == 0 || errno != ESRCH) continue;
    removed += fs::remove(entry.path(), error) ? 1 : 0;
  }
  return removed;
}

std::string read_file(const fs::path& path, std::uintmax_t max_bytes, const std::string& what) {
  std::error_code error;
  if (fs::is_directory(path, error)) throw Error(what + " is a folder", path.string(), "give a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open " + what, path.string(), "check that the file exists and is readable");
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw Error("cannot read " + what, path.string(), "give a regular file");
  if (std::uintmax_t(size) > max_bytes) {
    throw Error(what + " has " + std::to_string(size) + " bytes, more than the " + std::to_string(max_bytes) +
                    " this reader accepts",
                path.string(), "check that this is the right file");
  }
  std::string bytes(std::size_t(size), '\0');
  in.seekg(0);
  if (size > 0 && !in.read(bytes.data(), size))
    throw Error("cannot read " + what, path.string(), "check that the file is readable");
  return bytes;
}

std::uint64_t checksum64(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (const char byte : bytes) {
    hash ^= static_cast<unsigned char>(byte);
    hash *= 0x100000001b3ull;
  }
  return hash;
}

}  // namespace penumbra
