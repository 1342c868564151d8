#include "serve/access_tokens.h"

#include <sys/stat.h>

#include <set>

#include "flags/names.h"
#include "util/file_io.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace launchkit::serve {

namespace {

constexpr size_t min_token_length = 16;
constexpr size_t max_tokens = 1000;

bool same_digest(const std::string& left, const std::string& right) {
    unsigned char difference = left.size() == right.size() ? 0 : 1;
    for (size_t i = 0; i < left.size() && i < right.size(); ++i)
        difference |= static_cast<unsigned char>(left[i] ^ right[i]);
    return difference == 0;
}

}  // namespace

Result<std::vector<AccessToken>> read_access_tokens(const std::filesystem::path& path) {
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0)
        return fail(ExitCode::invalid_input, "--tokens-file {}: cannot read it", path.string());
    if ((status.st_mode & 077) != 0)
        return fail(ExitCode::invalid_input,
                    "--tokens-file {}: others can read it (mode {:04o}); chmod 600 it",
                    path.string(), status.st_mode & 07777);
    LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file(path));
    std::vector<AccessToken> tokens;
    std::set<std::string, std::less<>> names;
    size_t line_number = 0;
    for (auto line : util::split(text, '\n')) {
        ++line_number;
        line = util::trim(line);
        if (line.empty() || line.front() == '#') continue;
        auto words = util::split_whitespace(line);
        auto where = fmt::format("{}:{}", path.string(), line_number);
        if (words.size() != 2)
            return fail(ExitCode::invalid_input, "{}: expected `NAME TOKEN`, got {} words", where,
                        words.size());
        if (auto valid = flags::validate_name(words[0], "token name"); !valid)
            return fail(ExitCode::invalid_input, "{}: {}", where, valid.error().message);
        if (words[1].size() < min_token_length)
            return fail(ExitCode::invalid_input,
                        "{}: the token of '{}' has {} characters; at least {} are required", where,
                        words[0], words[1].size(), min_token_length);
        if (!names.insert(words[0]).second)
            return fail(ExitCode::invalid_input, "{}: a second token named '{}'", where, words[0]);
        if (tokens.size() == max_tokens)
            return fail(ExitCode::invalid_input, "{}: more than {} tokens", where, max_tokens);
        tokens.push_back({words[0], words[1]});
    }
    return tokens;
}

std::optional<std::string_view> bearer_token(std::string_view authorization) {
    constexpr std::string_view scheme = "bearer ";
    if (authorization.size() <= scheme.size() ||
        util::to_lower(authorization.substr(0, scheme.size())) != scheme)
        return std::nullopt;
    auto token = util::trim(authorization.substr(scheme.size()));
    if (token.empty()) return std::nullopt;
    return token;
}

const AccessToken* find_access_token(const std::vector<AccessToken>& tokens,
                                     std::string_view presented) {
    auto presented_digest = util::sha256_hex(presented);
    const AccessToken* found = nullptr;
    for (const auto& token : tokens)  // every one, whichever matches
        if (same_digest(util::sha256_hex(token.secret), presented_digest)) found = &token;
    return found;
}

}  // namespace launchkit::serve
