// An exclusive advisory lock (flock) held for a scope, so concurrent launchkit processes serialise
// their read-modify-write of shared state instead of losing updates.
#pragma once

#include <filesystem>
#include <optional>

#include "base/error.h"

namespace launchkit::util {

class FileLock {
  public:
    // Blocks until the lock on `path` (created if missing) is held.
    static Result<FileLock> acquire(const std::filesystem::path& path);
    // The lock if nobody holds it now; nullopt when another process does.
    static Result<std::optional<FileLock>> try_acquire(const std::filesystem::path& path);

    FileLock(FileLock&& other) noexcept;
    FileLock& operator=(FileLock&& other) noexcept;
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    ~FileLock();

  private:
    explicit FileLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace launchkit::util
