#include "backup/archive_paths.h"

#include <vector>

namespace launchkit::backup {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        auto end = slash == std::string_view::npos ? path.size() : slash;
        auto part = path.substr(start, end - start);
        if (!part.empty() && part != ".") parts.push_back(part);
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return parts;
}

}  // namespace

Result<std::string> safe_entry_path(std::string_view pathname) {
    if (pathname.empty())
        return fail(ExitCode::environment, "archive entry with an empty name refused");
    if (pathname.front() == '/')
        return fail(ExitCode::environment, "archive entry '{}' refused: absolute path", pathname);
    std::string normal;
    for (auto part : split_path(pathname)) {
        if (part == "..")
            return fail(ExitCode::environment,
                        "archive entry '{}' refused: '..' would leave the restore target",
                        pathname);
        if (!normal.empty()) normal += '/';
        normal += part;
    }
    return normal;
}

bool symlink_stays_inside(std::string_view entry, std::string_view target) {
    if (target.empty() || target.front() == '/') return false;
    auto depth = static_cast<long>(split_path(entry).size()) - 1;  // the link's directory
    for (auto part : split_path(target)) {
        depth += part == ".." ? -1 : 1;
        if (depth < 0) return false;
    }
    return true;
}

}  // namespace launchkit::backup
