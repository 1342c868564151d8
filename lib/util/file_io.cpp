#include "util/file_io.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/bounded_json.h"
#include "util/crash_point.h"
#include "util/file_descriptor.h"
#include "util/progress_meter.h"

namespace launchkit::util {
namespace {

std::unexpected<Error> io_error(std::string_view action, const std::filesystem::path& path,
                                int error_number) {
    return fail(ExitCode::environment, "cannot {} '{}': {}", action, path.string(),
                std::strerror(error_number));
}

Result<void> write_all(int fd, std::string_view content, const std::filesystem::path& path) {
    while (!content.empty()) {
        ssize_t written = ::write(fd, content.data(), content.size());
        if (written < 0) {
            if (errno == EINTR) continue;
            return io_error("write", path, errno);
        }
        content.remove_prefix(static_cast<size_t>(written));
    }
    return {};
}

}  // namespace

Result<std::string> read_file(const std::filesystem::path& path) {
    return read_file_from(path, 0);
}

Result<std::string> read_file_at_most(const std::filesystem::path& path, std::uint64_t max_bytes,
                                      std::string_view what) {
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return io_error("read", path, errno);
    std::string content;
    char buffer[65536];
    while (content.size() <= max_bytes) {
        auto wanted = std::min<std::uint64_t>(sizeof buffer, max_bytes + 1 - content.size());
        ssize_t got = ::read(fd.get(), buffer, static_cast<size_t>(wanted));
        if (got < 0) {
            if (errno == EINTR) continue;
            return io_error("read", path, errno);
        }
        if (got == 0) return content;
        content.append(buffer, static_cast<size_t>(got));
    }
    return fail(ExitCode::invalid_input, "{} '{}': larger than {}, the most read for one", what,
                path.string(), format_bytes(max_bytes));
}

Result<std::string> read_file_from(const std::filesystem::path& path, std::int64_t offset) {
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return io_error("read", path, errno);
    if (offset > 0 && ::lseek(fd.get(), static_cast<off_t>(offset), SEEK_SET) < 0)
        return io_error("seek in", path, errno);
    std::string content;
    char buffer[65536];
    while (true) {
        ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
        if (got < 0) {
            if (errno == EINTR) continue;
            return io_error("read", path, errno);
        }
        if (got == 0) break;
        content.append(buffer, static_cast<size_t>(got));
    }
    return content;
}

Result<void> fsync_directory(const std::filesystem::path& directory) {
    auto target = directory.empty() ? std::filesystem::path(".") : directory;
    FileDescriptor fd(::open(target.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) return io_error("open directory", target, errno);
    if (::fsync(fd.get()) != 0) return io_error("fsync directory", target, errno);
    return {};
}

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content,
                                   mode_t mode_for_new_file, ReplaceDurability durability) {
    mode_t mode = mode_for_new_file;
    struct stat existing {};
    if (::stat(path.c_str(), &existing) == 0) mode = existing.st_mode & 07777;

    auto directory = path.parent_path();
    // A unique temp name beside the target (same file system, so rename is atomic).
    std::string temp_template =
        (directory / fmt::format(".{}.tmp-XXXXXX", path.filename().string())).string();
    FileDescriptor fd(::mkostemp(temp_template.data(), O_CLOEXEC));
    if (!fd) return io_error("create a temporary file for", path, errno);
    std::filesystem::path temp_path = temp_template;

    auto cleanup_on_error = [&](Error error) -> Result<void> {
        fd.reset();
        ::unlink(temp_path.c_str());
        return std::unexpected(std::move(error));
    };
    if (util::crash_requested("atomic-write-partial")) {
        (void)write_all(fd.get(), content.substr(0, content.size() / 2), path);
        util::crash_now();
    }
    if (auto written = write_all(fd.get(), content, path); !written)
        return cleanup_on_error(written.error());
    if (::fchmod(fd.get(), mode) != 0)
        return cleanup_on_error(io_error("set the mode of", path, errno).error());
    if (::fsync(fd.get()) != 0) return cleanup_on_error(io_error("fsync", path, errno).error());
    if (fd.close() != 0) {
        int saved = errno;
        ::unlink(temp_path.c_str());
        return io_error("close", path, saved);
    }
    util::crash_point("atomic-write-before-rename");
    if (::rename(temp_path.c_str(), path.c_str()) != 0) {
        int saved = errno;
        ::unlink(temp_path.c_str());
        return io_error("replace", path, saved);
    }
    // The content was fsync'd before the rename: a lost rename brings back the old file, whole.
    if (durability == ReplaceDurability::may_revert) return {};
    return fsync_directory(directory);
}

Result<void> append_durably(const std::filesystem::path& path, std::string_view content,
                            mode_t mode_for_new_file) {
    bool existed = std::filesystem::exists(path);
    FileDescriptor fd(
        ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode_for_new_file));
    if (!fd) return io_error("open for appending", path, errno);
    if (!existed && ::fchmod(fd.get(), mode_for_new_file) != 0)
        return io_error("set the mode of", path, errno);
    // Test builds: half the write reaches the disk, then the process dies (kill -9 mid-write).
    if (crash_requested("append-torn:" + path.filename().string()) ||
        crash_requested("append-torn:" + path.parent_path().filename().string())) {
        (void)write_all(fd.get(), content.substr(0, content.size() / 2), path);
        ::fsync(fd.get());
        crash_now();
    }
    LAUNCHKIT_TRY(write_all(fd.get(), content, path));
    if (::fsync(fd.get()) != 0) return io_error("fsync", path, errno);
    if (!existed) return fsync_directory(path.parent_path());
    return {};
}

Result<void> append_line_durably(const std::filesystem::path& path, std::string_view line,
                                 mode_t mode_for_new_file) {
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd) {
        struct stat info {};
        if (::fstat(fd.get(), &info) != 0) return io_error("stat", path, errno);
        // Usually one byte is read: the last, a newline. After a crash, the torn line is found
        // reading backwards a block at a time.
        off_t keep = info.st_size;
        std::vector<char> block(64 * 1024);
        bool torn = false;
        while (keep > 0) {
            auto length = static_cast<off_t>(
                torn ? std::min<off_t>(keep, static_cast<off_t>(block.size())) : 1);
            auto got = ::pread(fd.get(), block.data(), static_cast<size_t>(length), keep - length);
            if (got != length) return io_error("read", path, got < 0 ? errno : EIO);
            auto* newline = static_cast<char*>(::memrchr(block.data(), '\n', length));
            if (newline != nullptr) {
                keep -= length - (newline - block.data() + 1);
                break;
            }
            torn = true;
            keep -= length;
        }
        if (keep != info.st_size) {
            // Cut just before its newline, the last line may be whole: it is kept, terminated.
            std::string tail(static_cast<size_t>(info.st_size - keep), '\0');
            if (::pread(fd.get(), tail.data(), tail.size(), keep) ==
                    static_cast<ssize_t>(tail.size()) &&
                parse_json(tail).value_or(nlohmann::json()).is_object())
                return append_durably(path, "\n" + std::string(line), mode_for_new_file);
            if (::truncate(path.c_str(), keep) != 0) return io_error("truncate", path, errno);
        }
    }
    return append_durably(path, line, mode_for_new_file);
}

Result<void> create_directories(const std::filesystem::path& directory, mode_t mode) {
    std::error_code error;
    if (std::filesystem::is_directory(directory, error)) return {};
    // The missing ancestors, outermost first: each is created with `mode`, not the umask's.
    std::vector<std::filesystem::path> missing;
    for (auto path = directory.lexically_normal(); !path.empty() && path != path.parent_path();
         path = path.parent_path()) {
        if (path.filename().empty()) continue;  // a trailing separator
        if (std::filesystem::exists(path, error)) break;
        missing.push_back(path);
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (::mkdir(it->c_str(), mode) != 0 && errno != EEXIST)
            return fail(ExitCode::environment, "cannot create directory '{}': {}", it->string(),
                        std::strerror(errno));
        ::chmod(it->c_str(), mode);
    }
    if (!std::filesystem::is_directory(directory, error))
        return fail(ExitCode::environment, "cannot create directory '{}': not a directory",
                    directory.string());
    return {};
}

void remove_leftover_temporaries(const std::filesystem::path& path) {
    auto prefix = fmt::format(".{}.tmp-", path.filename().string());
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(path.parent_path(), error))
        if (entry.path().filename().string().starts_with(prefix))
            std::filesystem::remove(entry.path(), error);
}

namespace {

void open_up_directories(const std::filesystem::path& directory) {
    struct stat info {};
    if (::lstat(directory.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) return;
    ::chmod(directory.c_str(), (info.st_mode & 07777) | S_IRWXU);
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error))
        if (entry.is_directory(error) && !entry.is_symlink(error))
            open_up_directories(entry.path());
}

}  // namespace

std::error_code remove_tree(const std::filesystem::path& path) {
    std::error_code error;
    std::filesystem::remove_all(path, error);
    if (!error) return error;
    open_up_directories(path);
    error.clear();
    std::filesystem::remove_all(path, error);
    return error;
}

}  // namespace launchkit::util
