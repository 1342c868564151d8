#include "backup/directory_archive.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <set>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "backup/archive_library.h"
#include "backup/archive_paths.h"
#include "backup/directory_tree.h"
#include "util/background_sha256.h"
#include "util/file_descriptor.h"
#include "util/sha256.h"

namespace launchkit::backup {
namespace {

constexpr std::size_t block_size = 1 << 20;

struct ArchiveDeleter {
    const ArchiveLibrary* libarchive;
    void operator()(archive* handle) const { libarchive->archive_write_free(handle); }
};
struct ReadArchiveDeleter {
    const ArchiveLibrary* libarchive;
    void operator()(archive* handle) const { libarchive->archive_read_free(handle); }
};
struct EntryDeleter {
    const ArchiveLibrary* libarchive;
    void operator()(archive_entry* entry) const { libarchive->archive_entry_free(entry); }
};
struct ResolverDeleter {
    const ArchiveLibrary* libarchive;
    void operator()(archive_entry_linkresolver* resolver) const {
        libarchive->archive_entry_linkresolver_free(resolver);
    }
};

// The archive file being written: zstd-compresses what libarchive emits, writes and hashes it.
struct CompressedOutput {
    const ArchiveLibrary* libarchive = nullptr;
    int fd = -1;
    std::string path;
    ZSTD_CCtx* context = nullptr;
    std::vector<char> buffer = std::vector<char>(ZSTD_CStreamOutSize() * 4);
    util::BackgroundSha256 hash;
    std::uint64_t written = 0;
    std::string error;

    ~CompressedOutput() { ZSTD_freeCCtx(context); }

    bool write_all(const char* data, std::size_t size) {
        hash.update(std::string_view(data, size));
        while (size > 0) {
            auto result = ::write(fd, data, size);
            if (result < 0 && errno == EINTR) continue;
            if (result < 0) {
                error = fmt::format("cannot write {}: {}", path, std::strerror(errno));
                return false;
            }
            data += result;
            size -= static_cast<std::size_t>(result);
            written += static_cast<std::uint64_t>(result);
        }
        return true;
    }

    bool compress(const void* data, std::size_t size, ZSTD_EndDirective mode) {
        ZSTD_inBuffer input{data, size, 0};
        while (true) {
            ZSTD_outBuffer output{buffer.data(), buffer.size(), 0};
            auto remaining = ZSTD_compressStream2(context, &output, &input, mode);
            if (ZSTD_isError(remaining)) {
                error = fmt::format("zstd: {}", ZSTD_getErrorName(remaining));
                return false;
            }
            if (output.pos > 0 && !write_all(buffer.data(), output.pos)) return false;
            bool done = mode == ZSTD_e_end ? remaining == 0 : input.pos == input.size;
            if (done) return true;
        }
    }
};

la_ssize_t write_callback(archive* handle, void* client, const void* data, std::size_t size) {
    auto* output = static_cast<CompressedOutput*>(client);
    if (!output->compress(data, size, ZSTD_e_continue)) {
        output->libarchive->archive_set_error(handle, EIO, "%s", output->error.c_str());
        return -1;
    }
    return static_cast<la_ssize_t>(size);
}

int close_callback(archive* handle, void* client) {
    auto* output = static_cast<CompressedOutput*>(client);
    if (!output->compress(nullptr, 0, ZSTD_e_end)) {
        output->libarchive->archive_set_error(handle, EIO, "%s", output->error.c_str());
        return ARCHIVE_FATAL;
    }
    return ARCHIVE_OK;
}

class DirectoryArchiver {
  public:
    DirectoryArchiver(const ArchiveLibrary& libarchive, archive* writer, archive* disk,
                      util::ProgressMeter* progress, ArchiveStats& stats,
                      std::filesystem::path skip)
        : libarchive_(libarchive),
          writer_(writer),
          disk_(disk),
          progress_(progress),
          stats_(stats),
          skip_(std::move(skip)),
          resolver_(libarchive.archive_entry_linkresolver_new(), {&libarchive}) {
        libarchive.archive_entry_linkresolver_set_strategy(resolver_.get(),
                                                           libarchive.archive_format(writer));
    }

    Result<void> add_tree(const std::filesystem::path& root) {
        return walk_directory_tree(
            root, skip_,
            [&](const std::filesystem::path& absolute, const std::string& relative,
                const struct stat& info) {
                state_.update(tree_state_line(relative, info));
                return add_entry(absolute, relative, info);
            },
            [&](const std::filesystem::path& skipped) {
                stats_.warnings.push_back(
                    fmt::format("{}: the backup repository itself is left out", skipped.string()));
            });
    }

    void finish_digests() {
        stats_.content_sha256 = content_.hex_digest();
        stats_.state_sha256 = state_.hex_digest();
    }

  private:
    Result<void> add_entry(const std::filesystem::path& absolute, const std::string& relative,
                           const struct stat& info) {
        if (S_ISSOCK(info.st_mode)) {
            stats_.warnings.push_back(fmt::format("{}: socket skipped", absolute.string()));
            return {};
        }
        util::FileDescriptor fd(S_ISREG(info.st_mode)
                                    ? ::open(absolute.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
                                    : -1);
        if (S_ISREG(info.st_mode) && fd.get() < 0)
            return fail(ExitCode::environment, "cannot read {}: {}", absolute.string(),
                        std::strerror(errno));
        std::unique_ptr<archive_entry, EntryDeleter> entry(libarchive_.archive_entry_new(),
                                                           {&libarchive_});
        libarchive_.archive_entry_copy_pathname(entry.get(),
                                                relative.empty() ? "." : relative.c_str());
        libarchive_.archive_entry_copy_sourcepath(entry.get(), absolute.c_str());
        if (libarchive_.archive_read_disk_entry_from_file(disk_, entry.get(), fd.get(), &info) <
            ARCHIVE_WARN)
            return fail(ExitCode::environment, "cannot read {}: {}", absolute.string(),
                        libarchive_.archive_error_string(disk_));
        // What a restore sets (mode, owner, mtime) and nothing else: access and change times
        // move as the tree is read, and would make two archives of the same tree differ, which
        // an off-site repository would then store twice.
        libarchive_.archive_entry_unset_atime(entry.get());
        libarchive_.archive_entry_unset_ctime(entry.get());
        libarchive_.archive_entry_unset_birthtime(entry.get());
        archive_entry* to_write = entry.get();
        archive_entry* spare = nullptr;
        libarchive_.archive_entry_linkify(resolver_.get(), &to_write, &spare);
        bool hard_link = libarchive_.archive_entry_hardlink(to_write) != nullptr;
        if (libarchive_.archive_write_header(writer_, to_write) < ARCHIVE_WARN)
            return fail(ExitCode::environment, "cannot archive {}: {}", absolute.string(),
                        libarchive_.archive_error_string(writer_));
        ++stats_.entries;
        add_content_line(relative, info, to_write, hard_link);
        if (!S_ISREG(info.st_mode) || hard_link) return {};
        return copy_contents(fd.get(), absolute, static_cast<std::uint64_t>(info.st_size));
    }

    // What a restore gives back whatever the machine and user: path, type, permissions, link
    // targets, then (in copy_contents) the bytes; not owners or times.
    void add_content_line(const std::string& relative, const struct stat& info,
                          archive_entry* entry, bool hard_link) {
        std::string line = relative;
        line.push_back('\0');
        char type = S_ISDIR(info.st_mode)   ? 'd'
                    : S_ISLNK(info.st_mode) ? 'l'
                    : hard_link             ? 'h'
                    : S_ISREG(info.st_mode) ? 'f'
                                            : 's';
        std::string target;
        if (hard_link) {
            target = libarchive_.archive_entry_hardlink(entry);
        } else if (S_ISLNK(info.st_mode)) {
            const char* symlink = libarchive_.archive_entry_symlink(entry);
            target = symlink != nullptr ? symlink : "";
        }
        line += fmt::format("{} {:o} {} ", type, info.st_mode & 01777,
                            type == 'f' ? static_cast<std::uint64_t>(info.st_size) : 0);
        line += target;
        line += "\0\n";
        content_.update(line);
    }

    // Exactly `size` bytes, as the header promised: a file that shrank is padded, one that grew is
    // cut, and both are reported (as tar does) rather than producing a corrupt archive.
    Result<void> copy_contents(int fd, const std::filesystem::path& path, std::uint64_t size) {
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
        std::uint64_t left = size;
        while (left > 0) {
            auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer_.size()));
            auto got = ::read(fd, buffer_.data(), want);
            if (got < 0 && errno == EINTR) continue;
            if (got < 0)
                return fail(ExitCode::environment, "cannot read {}: {}", path.string(),
                            std::strerror(errno));
            if (got == 0) {
                stats_.warnings.push_back(
                    fmt::format("{}: file shrank while being read; padded", path.string()));
                std::fill(buffer_.begin(), buffer_.end(), '\0');
                while (left > 0) {
                    auto pad =
                        static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer_.size()));
                    LAUNCHKIT_TRY(write_data(buffer_.data(), pad, path));
                    left -= pad;
                }
                return {};
            }
            LAUNCHKIT_TRY(write_data(buffer_.data(), static_cast<std::size_t>(got), path));
            left -= static_cast<std::uint64_t>(got);
        }
        stats_.content_bytes += size;
        return {};
    }

    Result<void> write_data(const char* data, std::size_t size, const std::filesystem::path& path) {
        content_.update(std::string_view(data, size));
        if (libarchive_.archive_write_data(writer_, data, size) < 0)
            return fail(ExitCode::environment, "cannot archive {}: {}", path.string(),
                        libarchive_.archive_error_string(writer_));
        if (progress_ != nullptr) progress_->advance(size);
        return {};
    }

    const ArchiveLibrary& libarchive_;
    archive* writer_;
    archive* disk_;
    util::ProgressMeter* progress_;
    ArchiveStats& stats_;
    std::filesystem::path skip_;
    std::unique_ptr<archive_entry_linkresolver, ResolverDeleter> resolver_;
    std::vector<char> buffer_ = std::vector<char>(block_size);
    util::BackgroundSha256 content_;
    util::Sha256 state_;
};

// The archive file being read: every byte libarchive consumes is hashed on the way.
struct HashedInput {
    int fd = -1;
    std::string path;
    std::vector<char> buffer = std::vector<char>(block_size);
    util::BackgroundSha256 hash;  // while this thread decompresses
    std::uint64_t read = 0;

    la_ssize_t next(const void** data) {
        while (true) {
            auto got = ::read(fd, buffer.data(), buffer.size());
            if (got < 0 && errno == EINTR) continue;
            if (got > 0) {
                hash.update(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
                read += static_cast<std::uint64_t>(got);
            }
            *data = buffer.data();
            return got;
        }
    }
};

la_ssize_t read_callback(archive*, void* client, const void** data) {
    return static_cast<HashedInput*>(client)->next(data);
}

std::string_view describe_type(unsigned type) {
    switch (type) {
        case AE_IFCHR:
            return "character device";
        case AE_IFBLK:
            return "block device";
        case AE_IFIFO:
            return "FIFO";
        case AE_IFSOCK:
            return "socket";
        default:
            return "file of unknown type";
    }
}

bool passes_through(const std::set<std::string>& symlinks, const std::string& path,
                    bool include_self) {
    for (std::size_t slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', slash + 1))
        if (symlinks.contains(path.substr(0, slash))) return true;
    return include_self && symlinks.contains(path);
}

class Extractor {
  public:
    Extractor(const ArchiveLibrary& libarchive, std::filesystem::path root,
              const ExtractOptions& options)
        : libarchive_(libarchive),
          root_(std::move(root)),
          options_(options),
          disk_(libarchive.archive_write_disk_new(), {&libarchive}) {
        int flags = ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_SECURE_NODOTDOT;
        if (::geteuid() == 0) flags |= ARCHIVE_EXTRACT_OWNER;  // as tar does for root
        libarchive_.archive_write_disk_set_options(disk_.get(), flags);
        libarchive_.archive_write_disk_set_standard_lookup(disk_.get());
    }

    Result<void> begin(archive_entry* entry) {
        LAUNCHKIT_TRY_ASSIGN(auto relative,
                             safe_entry_path(libarchive_.archive_entry_pathname(entry)));
        // Only what a backup of a directory holds comes back: files, directories and links. A
        // device node, FIFO or socket in an archive is refused, not recreated (as root, a
        // world-readable /dev/mem); set-id bits are dropped.
        auto type = libarchive_.archive_entry_filetype(entry);
        bool hard_link = libarchive_.archive_entry_hardlink(entry) != nullptr;
        if (!hard_link && type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK)
            return fail(ExitCode::environment,
                        "archive entry '{}' refused: a {} is not restored (only files, "
                        "directories and links)",
                        libarchive_.archive_entry_pathname(entry), describe_type(type));
        libarchive_.archive_entry_set_perm(
            entry, libarchive_.archive_entry_perm(entry) & ~static_cast<mode_t>(S_ISUID | S_ISGID));
        // A directory or link carries no data: a size on one is a crafted archive's, and its
        // bytes are read past, not written.
        takes_data_ = type == AE_IFREG && !hard_link;
        if (!takes_data_) libarchive_.archive_entry_set_size(entry, 0);
        if (passes_through(symlinks_, relative, true))
            return fail(ExitCode::environment,
                        "archive entry '{}' refused: it would be written through a symlink "
                        "stored earlier in the archive",
                        libarchive_.archive_entry_pathname(entry));
        if (const char* hard_link = libarchive_.archive_entry_hardlink(entry)) {
            LAUNCHKIT_TRY_ASSIGN(auto link_target, safe_entry_path(hard_link));
            if (passes_through(symlinks_, link_target, true))
                return fail(ExitCode::environment,
                            "archive entry '{}' refused: hard link through a symlink to '{}'",
                            libarchive_.archive_entry_pathname(entry), hard_link);
            libarchive_.archive_entry_copy_hardlink(entry, (root_ / link_target).c_str());
        }
        if (libarchive_.archive_entry_filetype(entry) == AE_IFLNK) {
            std::string target = libarchive_.archive_entry_symlink(entry)
                                     ? libarchive_.archive_entry_symlink(entry)
                                     : "";
            if (!options_.allow_external_symlinks && !symlink_stays_inside(relative, target))
                return fail(ExitCode::environment,
                            "archive entry '{}' refused: symlink to '{}' points outside the "
                            "restore target (--allow-external-symlinks restores it anyway)",
                            libarchive_.archive_entry_pathname(entry), target);
            symlinks_.insert(relative);
        }
        auto destination = relative.empty() ? root_ : root_ / relative;
        libarchive_.archive_entry_copy_pathname(entry, destination.c_str());
        if (libarchive_.archive_write_header(disk_.get(), entry) < ARCHIVE_WARN)
            return fail(ExitCode::environment, "cannot restore {}: {}", destination.string(),
                        libarchive_.archive_error_string(disk_.get()));
        return {};
    }

    Result<void> write(const void* data, std::size_t size, la_int64_t offset) {
        if (!takes_data_) return {};
        if (libarchive_.archive_write_data_block(disk_.get(), data, size, offset) < ARCHIVE_WARN)
            return fail(ExitCode::environment, "cannot restore into {}: {}", root_.string(),
                        libarchive_.archive_error_string(disk_.get()));
        return {};
    }

    Result<void> end_entry() {
        if (libarchive_.archive_write_finish_entry(disk_.get()) < ARCHIVE_WARN)
            return fail(ExitCode::environment, "cannot restore into {}: {}", root_.string(),
                        libarchive_.archive_error_string(disk_.get()));
        return {};
    }

    // Directory modes and mtimes are applied last (libarchive defers them), then everything is
    // synced.
    Result<void> finish() {
        if (libarchive_.archive_write_close(disk_.get()) < ARCHIVE_WARN)
            return fail(ExitCode::environment, "cannot restore into {}: {}", root_.string(),
                        libarchive_.archive_error_string(disk_.get()));
        util::FileDescriptor fd(::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (fd.get() < 0 || ::syncfs(fd.get()) != 0)
            return fail(ExitCode::environment, "cannot sync {}: {}", root_.string(),
                        std::strerror(errno));
        return {};
    }

  private:
    const ArchiveLibrary& libarchive_;
    std::filesystem::path root_;
    const ExtractOptions& options_;
    std::unique_ptr<archive, ArchiveDeleter> disk_;
    std::set<std::string> symlinks_;
    bool takes_data_ = false;  // the current entry is a regular file
};

}  // namespace

Result<std::string> archive_library_version() {
    LAUNCHKIT_TRY_ASSIGN(const ArchiveLibrary* libarchive, load_libarchive());
    // "libarchive 3.6.2" → "3.6.2".
    std::string_view version = libarchive->archive_version_string();
    if (version.starts_with("libarchive ")) version.remove_prefix(11);
    return fmt::format("{} zstd/{}", version, ZSTD_versionString());
}

Result<ArchiveStats> write_directory_archive(const std::filesystem::path& source,
                                             const std::filesystem::path& archive_path,
                                             const std::string& name, util::ProgressMeter* progress,
                                             const std::filesystem::path& skip) {
    std::error_code error;
    if (!std::filesystem::is_directory(source, error))
        return fail(ExitCode::invalid_input, "dir:{}: not a directory", source.string());
    LAUNCHKIT_TRY_ASSIGN(const ArchiveLibrary* loaded, load_libarchive());
    const ArchiveLibrary& libarchive = *loaded;
    CompressedOutput output;
    output.libarchive = &libarchive;
    output.path = archive_path.string();
    output.fd = ::open(archive_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (output.fd < 0)
        return fail(ExitCode::environment, "cannot create {}: {}", archive_path.string(),
                    std::strerror(errno));
    util::FileDescriptor output_fd(output.fd);
    output.context = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(output.context, ZSTD_c_compressionLevel, 3);  // zstd's own default
    // Frame checksums as the zstd CLI writes them: damage shows even without the manifest.
    ZSTD_CCtx_setParameter(output.context, ZSTD_c_checksumFlag, 1);
    // Worker threads compress while this thread reads files; a libzstd without them still works.
    auto workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    ZSTD_CCtx_setParameter(output.context, ZSTD_c_nbWorkers, workers);
    // `zstd --rsyncable`: the compressed stream falls back into step after a change, so that a
    // tree that changed a little compresses to mostly the same bytes, which restic stores once.
    // (An experimental parameter of libzstd's stable ABI since 1.3.8, as the zstd CLI uses it;
    // it needs the worker threads above, and a libzstd without them just ignores it.)
    ZSTD_CCtx_setParameter(output.context, ZSTD_c_experimentalParam1 /* ZSTD_c_rsyncable */, 1);

    std::unique_ptr<archive, ArchiveDeleter> writer(libarchive.archive_write_new(), {&libarchive});
    libarchive.archive_write_set_format_pax_restricted(writer.get());
    libarchive.archive_write_set_bytes_per_block(writer.get(), 64 * 1024);
    libarchive.archive_write_set_bytes_in_last_block(writer.get(), 1);
    if (libarchive.archive_write_open2(writer.get(), &output, nullptr, write_callback,
                                       close_callback, nullptr) != ARCHIVE_OK)
        return fail(ExitCode::environment, "cannot start {}: {}", archive_path.string(),
                    libarchive.archive_error_string(writer.get()));
    std::unique_ptr<archive, ReadArchiveDeleter> disk(libarchive.archive_read_disk_new(),
                                                      {&libarchive});
    libarchive.archive_read_disk_set_standard_lookup(disk.get());
    libarchive.archive_read_disk_set_behavior(disk.get(), ARCHIVE_READDISK_NO_XATTR |
                                                              ARCHIVE_READDISK_NO_ACL |
                                                              ARCHIVE_READDISK_NO_FFLAGS);

    ArchiveStats stats;
    DirectoryArchiver archiver(libarchive, writer.get(), disk.get(), progress, stats, skip);
    LAUNCHKIT_TRY(archiver.add_tree(source));
    archiver.finish_digests();
    // libarchive ignores what the close callback returns, so the final flush's error is ours.
    if (libarchive.archive_write_close(writer.get()) != ARCHIVE_OK || !output.error.empty())
        return fail(
            ExitCode::environment, "cannot finish {}: {}", archive_path.string(),
            output.error.empty() ? libarchive.archive_error_string(writer.get()) : output.error);
    stats.file = BackupFile{name, output.written, output.hash.hex_digest()};
    return stats;
}

Result<ArchiveStats> read_directory_archive(
    const std::filesystem::path& archive_path, const std::string& name,
    const std::optional<std::filesystem::path>& extract_into, const ExtractOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(const ArchiveLibrary* loaded, load_libarchive());
    const ArchiveLibrary& libarchive = *loaded;
    HashedInput input;
    input.path = archive_path.string();
    input.fd = ::open(archive_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (input.fd < 0)
        return fail(ExitCode::environment, "cannot read {}: {}", archive_path.string(),
                    std::strerror(errno));
    util::FileDescriptor input_fd(input.fd);
    ::posix_fadvise(input.fd, 0, 0, POSIX_FADV_SEQUENTIAL);

    std::unique_ptr<archive, ReadArchiveDeleter> reader(libarchive.archive_read_new(),
                                                        {&libarchive});
    libarchive.archive_read_support_filter_zstd(reader.get());
    libarchive.archive_read_support_format_tar(reader.get());
    auto broken = [&](std::string_view what) {
        return fail(ExitCode::environment, "{}: {}: {}", archive_path.string(), what,
                    libarchive.archive_error_string(reader.get())
                        ? libarchive.archive_error_string(reader.get())
                        : "unreadable");
    };
    if (libarchive.archive_read_open(reader.get(), &input, nullptr, read_callback, nullptr) !=
        ARCHIVE_OK)
        return broken("not a zstd-compressed tar archive");

    std::optional<Extractor> extractor;
    if (extract_into) extractor.emplace(libarchive, *extract_into, options);
    ArchiveStats stats;
    archive_entry* entry = nullptr;
    while (true) {
        int status = libarchive.archive_read_next_header(reader.get(), &entry);
        if (status == ARCHIVE_EOF) break;
        if (status < ARCHIVE_WARN) return broken("damaged archive");
        ++stats.entries;
        if (extractor) LAUNCHKIT_TRY(extractor->begin(entry));
        const void* block = nullptr;
        std::size_t size = 0;
        la_int64_t offset = 0;
        while (true) {
            int data_status =
                libarchive.archive_read_data_block(reader.get(), &block, &size, &offset);
            if (data_status == ARCHIVE_EOF) break;
            if (data_status < ARCHIVE_WARN) return broken("damaged archive");
            stats.content_bytes += size;
            if (options.progress != nullptr) options.progress->advance(size);
            if (extractor) LAUNCHKIT_TRY(extractor->write(block, size, offset));
        }
        if (extractor) LAUNCHKIT_TRY(extractor->end_entry());
    }
    // Whatever follows the end-of-archive marker still belongs to the file's checksum.
    const void* rest = nullptr;
    while (input.next(&rest) > 0) {
    }
    if (extractor) LAUNCHKIT_TRY(extractor->finish());
    stats.file = BackupFile{name, input.read, input.hash.hex_digest()};
    return stats;
}

}  // namespace launchkit::backup
