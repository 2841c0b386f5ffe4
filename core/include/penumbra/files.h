#pragma once
/// Whole files in and out: the one atomic write every output goes through, a size-capped read for every
/// input, and the checksum of the binary files Penumbra reads back.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace penumbra {

/// Writes `bytes` to `path` so that no reader ever sees a half-written file, even after a crash or power loss:
/// a new temporary file in the same folder, every write and the close checked, fsync of the file, rename over
/// `path`, fsync of the folder. On any failure the temporary file is removed, `path` keeps its old contents
/// (or stays absent) and penumbra::Error names the file and the system's reason (e.g. "No space left on
/// device"). Refuses a `path` that exists and is not a regular file (a folder, a device, a symbolic link), so
/// an output never replaces one nor writes through one.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

/// Removes the temporary files that write_file_atomically left in `folder` (not its subfolders) when its
/// process was killed mid-write (SIGKILL, power loss); those of processes still running are kept. Returns how
/// many were removed.
int remove_abandoned_temporary_files(const std::filesystem::path& folder);

/// The bytes of a file of at most `max_bytes`, checked against the file's size before anything is allocated;
/// `what` names the kind of file in errors ("checkpoint", "IDX file"). Throws penumbra::Error naming the file
/// when it is missing, unreadable, a folder or larger than `max_bytes`.
std::string read_file(const std::filesystem::path& path, std::uintmax_t max_bytes, const std::string& what);

/// FNV-1a (64 bits) of `bytes`: cheap, and any flipped byte changes it. Binary files end with it so that a
/// damaged file is refused before any of its contents is used.
std::uint64_t checksum64(std::string_view bytes);

}  // namespace penumbra
