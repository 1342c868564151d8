#include "util/file_lock.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace launchkit::util {

Result<FileLock> FileLock::acquire(const std::filesystem::path& path) {
    FileDescriptor fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (!fd)
        return fail(ExitCode::environment, "cannot open lock file '{}': {}", path.string(),
                    std::strerror(errno));
    while (::flock(fd.get(), LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        return fail(ExitCode::environment, "cannot lock '{}': {}", path.string(),
                    std::strerror(errno));
    }
    return FileLock(std::move(fd));
}

Result<std::optional<FileLock>> FileLock::try_acquire(const std::filesystem::path& path) {
    FileDescriptor fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (!fd)
        return fail(ExitCode::environment, "cannot open lock file '{}': {}", path.string(),
                    std::strerror(errno));
    while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR) continue;
        if (errno == EWOULDBLOCK) return std::optional<FileLock>();
        return fail(ExitCode::environment, "cannot lock '{}': {}", path.string(),
                    std::strerror(errno));
    }
    return std::optional<FileLock>(FileLock(std::move(fd)));
}

}  // namespace launchkit::util
