// What every harness shares: the fuzzer's bytes as text, split into parts, and a scratch folder
// for the readers that take a file launchkit wrote (the store, journals, the ledger).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>

namespace launchkit::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// The text before the first `separator` and the rest; all of it and "" without one. Lets one
// input carry two files or fields, which the fuzzer learns to mutate apart.
inline std::pair<std::string_view, std::string_view> split_once(std::string_view text,
                                                                std::string_view separator) {
    auto at = text.find(separator);
    if (at == std::string_view::npos) return {text, {}};
    return {text.substr(0, at), text.substr(at + separator.size())};
}

// A private folder for this process, removed at exit. Harnesses run two at a time in CI, so each
// process has its own.
inline const std::filesystem::path& scratch_directory() {
    static const std::filesystem::path directory = [] {
        std::string pattern = (std::filesystem::temp_directory_path() / "launchkit-fuzz-XXXXXX");
        if (mkdtemp(pattern.data()) == nullptr) std::abort();
        std::atexit([] {
            std::error_code ignored;
            std::filesystem::remove_all(scratch_directory(), ignored);
        });
        return std::filesystem::path(pattern);
    }();
    return directory;
}

// Replaces `path` with `text` (folders created): the input of a reader that takes a file.
inline void write_file(const std::filesystem::path& path, std::string_view text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out.flush()) std::abort();
}

}  // namespace launchkit::fuzz
