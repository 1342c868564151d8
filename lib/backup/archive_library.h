// libarchive, loaded by the first backup or restore of a directory: it brings libxml2 and ICU,
// which would otherwise cost the start-up of every command.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include "base/error.h"

namespace launchkit::backup {

// Every libarchive function launchkit calls; members are named as the functions they point to.
// clang-format off
#define LAUNCHKIT_ARCHIVE_FUNCTIONS(X)                                                          \
    X(archive_version_string) X(archive_error_string) X(archive_set_error) X(archive_format)    \
    X(archive_write_new) X(archive_write_free) X(archive_write_set_format_pax_restricted)       \
    X(archive_write_set_bytes_per_block) X(archive_write_set_bytes_in_last_block)              \
    X(archive_write_open2) X(archive_write_header) X(archive_write_data)                       \
    X(archive_write_finish_entry) X(archive_write_close)                                        \
    X(archive_write_disk_new) X(archive_write_disk_set_options)                                 \
    X(archive_write_disk_set_standard_lookup) X(archive_write_data_block)                       \
    X(archive_read_new) X(archive_read_free) X(archive_read_support_filter_zstd)                \
    X(archive_read_support_format_tar) X(archive_read_open) X(archive_read_next_header)         \
    X(archive_read_data_block)                                                                  \
    X(archive_read_disk_new) X(archive_read_disk_set_standard_lookup)                           \
    X(archive_read_disk_set_behavior) X(archive_read_disk_entry_from_file)                      \
    X(archive_entry_new) X(archive_entry_free) X(archive_entry_pathname)                        \
    X(archive_entry_copy_pathname) X(archive_entry_copy_sourcepath) X(archive_entry_hardlink)   \
    X(archive_entry_copy_hardlink) X(archive_entry_symlink) X(archive_entry_filetype)           \
    X(archive_entry_linkresolver_new) X(archive_entry_linkresolver_set_strategy)                \
    X(archive_entry_linkresolver_free) X(archive_entry_linkify) X(archive_entry_perm)            \
    X(archive_entry_set_perm) X(archive_entry_size) X(archive_entry_set_size)                 \
    X(archive_entry_unset_atime) X(archive_entry_unset_ctime) X(archive_entry_unset_birthtime)
// clang-format on

struct ArchiveLibrary {
#define LAUNCHKIT_ARCHIVE_MEMBER(name) decltype(&::name) name = nullptr;
    LAUNCHKIT_ARCHIVE_FUNCTIONS(LAUNCHKIT_ARCHIVE_MEMBER)
#undef LAUNCHKIT_ARCHIVE_MEMBER
};

// Loads libarchive once; later calls return the same table. An environment error (exit 3) when
// it cannot be loaded.
Result<const ArchiveLibrary*> load_libarchive();

}  // namespace launchkit::backup
