// Moving flags between stores and into version control: `export` writes every flag as JSON or
// YAML, `import` reads that document back, validating all of it before changing anything, and
// applies it as one atomic commit.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/context.h"
#include "flags/flag.h"

namespace launchkit::flags {

inline constexpr std::string_view transfer_format = "launchkit-flags/1";

struct ExportOptions {
    std::string format = "json";     // json | yaml
    std::filesystem::path output{};  // empty or "-": stdout
};

struct ImportOptions {
    std::filesystem::path input{};  // "-": stdin
    std::string format = "auto";    // auto | launchkit | unleash
    std::string environment{};      // unleash: the environment its features become
    bool dry_run = false;
    bool prune = false;  // delete flags the document does not list
    std::string reason{};
};

struct FlagDocument {
    std::vector<Flag> flags;
    std::vector<Segment> segments;
};

// Parses and validates a whole document (JSON is read as YAML, so both work); errors name the
// source, line and field. Each flag carries its metadata, its dependencies and the listed
// environments' states, strategies and variants; segments come in their own list.
Result<FlagDocument> parse_flag_document(std::string_view text, std::string_view source);

// The document `export` writes for `flags`.
// Keys keep their order (format first, then name first in each flag) so the file reads well in
// review.
nlohmann::ordered_json flag_document(const std::vector<Flag>& flags,
                                     const std::vector<Segment>& segments,
                                     const std::string& exported_at);

Result<ExitCode> run_export(Context& context, const ExportOptions& options);
Result<ExitCode> run_import(Context& context, const ImportOptions& options);

}  // namespace launchkit::flags
