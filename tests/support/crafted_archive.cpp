#include "support/crafted_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <catch2/catch.hpp>

namespace launchkit::testing {

void write_crafted_archive(const std::filesystem::path& path,
                           const std::vector<CraftedEntry>& entries) {
    archive* writer = archive_write_new();
    archive_write_add_filter_zstd(writer);
    archive_write_set_format_pax_restricted(writer);
    REQUIRE(archive_write_open_filename(writer, path.c_str()) == ARCHIVE_OK);
    for (const auto& crafted : entries) {
        archive_entry* entry = archive_entry_new();
        archive_entry_set_pathname(entry, crafted.path.c_str());
        archive_entry_set_mtime(entry, 1700000000, 0);
        switch (crafted.type) {
            case CraftedEntry::Type::file:
                archive_entry_set_filetype(entry, AE_IFREG);
                archive_entry_set_perm(entry, 0644);
                archive_entry_set_size(entry, static_cast<la_int64_t>(crafted.content.size()));
                break;
            case CraftedEntry::Type::directory:
                archive_entry_set_filetype(entry, AE_IFDIR);
                archive_entry_set_perm(entry, 0755);
                archive_entry_set_size(entry, static_cast<la_int64_t>(crafted.content.size()));
                break;
            case CraftedEntry::Type::character_device:
                archive_entry_set_filetype(entry, AE_IFCHR);
                archive_entry_set_perm(entry, 0666);
                archive_entry_set_rdevmajor(entry, 1);
                archive_entry_set_rdevminor(entry, 1);  // /dev/mem
                break;
            case CraftedEntry::Type::fifo:
                archive_entry_set_filetype(entry, AE_IFIFO);
                archive_entry_set_perm(entry, 0644);
                break;
            case CraftedEntry::Type::symlink:
                archive_entry_set_filetype(entry, AE_IFLNK);
                archive_entry_set_perm(entry, 0777);
                archive_entry_set_symlink(entry, crafted.link.c_str());
                break;
            case CraftedEntry::Type::hardlink:
                archive_entry_set_filetype(entry, AE_IFREG);
                archive_entry_set_perm(entry, 0644);
                archive_entry_set_hardlink(entry, crafted.link.c_str());
                break;
        }
        if (crafted.permissions != 0) archive_entry_set_perm(entry, crafted.permissions);
        REQUIRE(archive_write_header(writer, entry) == ARCHIVE_OK);
        if (!crafted.content.empty())
            archive_write_data(writer, crafted.content.data(), crafted.content.size());
        archive_entry_free(entry);
    }
    REQUIRE(archive_write_close(writer) == ARCHIVE_OK);
    archive_write_free(writer);
}

}  // namespace launchkit::testing
