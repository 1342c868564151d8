// One error type for the whole library: a one-line message naming what was wrong, plus the exit
// code the executable should end with. Expected failures travel as values (Result<T>), never
// exceptions.
#pragma once

#include <expected>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "base/exit_code.h"

namespace launchkit {

struct Error {
    ExitCode code = ExitCode::environment;
    std::string message;
};

template <typename T>
using Result = std::expected<T, Error>;

// Builds an unexpected Error with a fmt-formatted message.
template <typename... Args>
std::unexpected<Error> fail(ExitCode code, fmt::format_string<Args...> format, Args&&... args) {
    return std::unexpected(Error{code, fmt::format(format, std::forward<Args>(args)...)});
}

// Adds context in front of an error's message ("reading CHANGELOG.md: ...").
inline Error with_context(Error error, std::string_view context) {
    error.message = fmt::format("{}: {}", context, error.message);
    return error;
}

}  // namespace launchkit

#define LAUNCHKIT_CONCAT_INNER(a, b) a##b
#define LAUNCHKIT_CONCAT(a, b) LAUNCHKIT_CONCAT_INNER(a, b)

// Propagates the error of a Result<void> (or any Result whose value is not needed).
#define LAUNCHKIT_TRY(expr)                                                  \
    do {                                                                     \
        if (auto launchkit_try_result = (expr); !launchkit_try_result)       \
            return std::unexpected(std::move(launchkit_try_result.error())); \
    } while (false)

// Declares `lhs` from the value of a Result, or propagates its error.
#define LAUNCHKIT_TRY_ASSIGN(lhs, expr) \
    LAUNCHKIT_TRY_ASSIGN_IMPL(LAUNCHKIT_CONCAT(launchkit_result_, __LINE__), lhs, expr)
#define LAUNCHKIT_TRY_ASSIGN_IMPL(tmp, lhs, expr)             \
    auto tmp = (expr);                                        \
    if (!tmp) return std::unexpected(std::move(tmp.error())); \
    lhs = std::move(*tmp)
