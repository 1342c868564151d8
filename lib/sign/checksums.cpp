#include "sign/checksums.h"

#include <fstream>
#include <set>

#include <fmt/format.h>

#include "util/sha256.h"
#include "util/strings.h"

namespace launchkit::sign {

namespace {

constexpr size_t max_checksum_entries = 100000;

}  // namespace

Result<std::string> file_sha256(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(ExitCode::environment, "{}: cannot read it", path.string());
    util::Sha256 hash;
    std::string buffer(1 << 20, '\0');
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        hash.update(std::string_view(buffer.data(), static_cast<size_t>(in.gcount())));
    }
    if (in.bad()) return fail(ExitCode::environment, "{}: read failed", path.string());
    return hash.hex_digest();
}

Result<std::string> write_checksums(const std::vector<std::filesystem::path>& files,
                                    const std::filesystem::path& folder) {
    std::string text;
    std::set<std::string> listed;
    auto base = std::filesystem::absolute(folder).lexically_normal();
    for (const auto& file : files) {
        auto name =
            std::filesystem::absolute(file).lexically_normal().lexically_relative(base).string();
        if (name.empty() || name.find_first_of("\n\r\\") != std::string::npos)
            return fail(ExitCode::invalid_input,
                        "{}: a name sha256sum cannot read back (a line break or backslash)",
                        file.string());
        if (!listed.insert(name).second)
            return fail(ExitCode::invalid_input, "{}: listed twice", file.string());
        LAUNCHKIT_TRY_ASSIGN(auto digest, file_sha256(file));
        text += fmt::format("{}  {}\n", digest, name);
    }
    return text;
}

Result<std::vector<ChecksumEntry>> parse_checksums(std::string_view text, std::string_view where) {
    std::vector<ChecksumEntry> entries;
    size_t line_number = 0;
    for (auto line : util::split(text, '\n')) {
        ++line_number;
        if (line.empty() && line_number > 1) continue;
        // sha256sum: the digest, a space, then ' ' (text) or '*' (binary), then the name.
        if (line.size() < 67 || !util::is_sha256_hex(line.substr(0, 64)) || line[64] != ' ' ||
            (line[65] != ' ' && line[65] != '*'))
            return fail(ExitCode::invalid_input,
                        "{}:{}: expected `SHA256  NAME` (64 hex digits, two spaces, a name)", where,
                        line_number);
        if (entries.size() == max_checksum_entries)
            return fail(ExitCode::invalid_input, "{}: more than {} files", where,
                        max_checksum_entries);
        entries.push_back({std::string(line.substr(0, 64)), std::string(line.substr(66))});
    }
    if (entries.empty()) return fail(ExitCode::invalid_input, "{}: lists no files", where);
    return entries;
}

}  // namespace launchkit::sign
