#include "util/file_lock.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace launchkit::util {

Result<FileLock> FileLock::acquire(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return fail(ExitCode::environment, "cannot open lock file '{}': {}", path.string(),
                    std::strerror(errno));
    while (::flock(fd, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        int saved = errno;
        ::close(fd);
        return fail(ExitCode::environment, "cannot lock '{}': {}", path.string(),
                    std::strerror(saved));
    }
    return FileLock(fd);
}

Result<std::optional<FileLock>> FileLock::try_acquire(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return fail(ExitCode::environment, "cannot open lock file '{}': {}", path.string(),
                    std::strerror(errno));
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR) continue;
        int saved = errno;
        ::close(fd);
        if (saved == EWOULDBLOCK) return std::optional<FileLock>();
        return fail(ExitCode::environment, "cannot lock '{}': {}", path.string(),
                    std::strerror(saved));
    }
    return std::optional<FileLock>(FileLock(fd));
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

FileLock::~FileLock() {
    if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

}  // namespace launchkit::util
