// An exclusive advisory lock (flock) held for a scope, so concurrent launchkit processes serialise
// their read-modify-write of shared state instead of losing updates.
#pragma once

#include <filesystem>
#include <optional>

#include "base/error.h"
#include "util/file_descriptor.h"

namespace launchkit::util {

class FileLock {
  public:
    // Blocks until the lock on `path` (created if missing) is held.
    static Result<FileLock> acquire(const std::filesystem::path& path);
    // The lock if nobody holds it now; nullopt when another process does.
    static Result<std::optional<FileLock>> try_acquire(const std::filesystem::path& path);

  private:
    explicit FileLock(FileDescriptor fd) : fd_(std::move(fd)) {}
    // Closing the last descriptor of the open file releases the flock.
    FileDescriptor fd_;
};

}  // namespace launchkit::util
