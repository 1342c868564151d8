// Who may use the flag server: bearer tokens, each with a name that the audit log records as the
// actor of the changes made with it. Tokens come from a file only its owner can read, or from the
// environment, never from the command line.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace launchkit::serve {

struct AccessToken {
    std::string name;
    std::string secret;
};

// A tokens file: one `NAME TOKEN` per line, `#` comments and blank lines ignored. Exit 2 naming
// the file and line for a malformed line, a duplicate name or a token shorter than 16
// characters, and for a file that others than its owner can read.
Result<std::vector<AccessToken>> read_access_tokens(const std::filesystem::path& path);

// The token of an `Authorization: Bearer TOKEN` header; nullopt for any other header.
std::optional<std::string_view> bearer_token(std::string_view authorization);

// The token `presented` is, compared with every one in constant time (digests of both sides, so
// neither the secret's bytes nor its length show in the timing); nullptr when none.
const AccessToken* find_access_token(const std::vector<AccessToken>& tokens,
                                     std::string_view presented);

}  // namespace launchkit::serve
