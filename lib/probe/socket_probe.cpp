#include "probe/socket_probe.h"

#include <cerrno>
#include <chrono>
#include <cstring>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/duration.h"
#include "util/file_descriptor.h"
#include "util/process.h"

namespace launchkit::probe {
namespace {

using Clock = std::chrono::steady_clock;

// Connects to one address within `timeout`; returns the error text, empty on success.
std::string connect_once(const addrinfo& address, std::chrono::milliseconds timeout) {
    util::FileDescriptor socket(::socket(address.ai_family,
                                         address.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                                         address.ai_protocol));
    if (!socket) return std::strerror(errno);
    int fd = socket.get();
    std::string error;
    if (::connect(fd, address.ai_addr, address.ai_addrlen) != 0) {
        if (errno != EINPROGRESS) {
            error = std::strerror(errno);
        } else {
            pollfd watch{fd, POLLOUT, 0};
            int ready = ::poll(&watch, 1, static_cast<int>(timeout.count()));
            if (ready == 0) {
                error = fmt::format("timed out after {}", util::format_duration(timeout));
            } else {
                int socket_error = 0;
                socklen_t length = sizeof socket_error;
                ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &socket_error, &length);
                if (ready < 0) socket_error = errno;
                if (socket_error != 0) error = std::strerror(socket_error);
            }
        }
    }
    return error;
}

}  // namespace

ProbeResult run_tcp_probe(const Check& check) {
    const auto& tcp = std::get<TcpProbe>(check.probe);
    auto result = result_for(check);
    auto start = Clock::now();
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* addresses = nullptr;
    auto port = std::to_string(tcp.port);
    if (int rc = ::getaddrinfo(tcp.host.c_str(), port.c_str(), &hints, &addresses); rc != 0) {
        result.detail = fmt::format("cannot resolve {}: {}", tcp.host, gai_strerror(rc));
        result.latency = elapsed_since(start);
        return result;
    }
    std::string error;
    for (auto* address = addresses; address != nullptr; address = address->ai_next) {
        auto remaining = check.timeout - elapsed_since(start);
        if (remaining.count() <= 0) break;
        error = connect_once(*address, remaining);
        if (error.empty()) break;
    }
    ::freeaddrinfo(addresses);
    result.latency = elapsed_since(start);
    result.passed = error.empty();
    result.detail = result.passed ? fmt::format("connected to {}:{}", tcp.host, tcp.port)
                                  : fmt::format("{}:{}: {}", tcp.host, tcp.port, error);
    return result;
}

ProbeResult run_command_probe(const Check& check) {
    const auto& command = std::get<CommandProbe>(check.probe);
    auto result = result_for(check);
    auto start = Clock::now();
    auto outcome =
        util::run_process(util::ProcessSpec{.argv = command.argv,
                                            .working_directory = command.working_directory,
                                            .environment = command.environment,
                                            .timeout = check.timeout});
    result.latency = elapsed_since(start);
    if (!outcome) {
        result.detail = outcome.error().message;
        return result;
    }
    const auto& process = *outcome;
    if (process.timed_out) {
        result.detail = fmt::format("timed out after {}", util::format_duration(check.timeout));
    } else if (process.exit_code != command.expect_exit) {
        auto why = util::first_line(process.stderr_text);
        result.detail = process.exit_code < 0
                            ? fmt::format("killed by signal {}", process.signal)
                            : fmt::format("exit {}, expected {}{}", process.exit_code,
                                          command.expect_exit, why.empty() ? "" : ": " + why);
    } else if (!command.stdout_contains.empty() &&
               process.stdout_text.find(command.stdout_contains) == std::string::npos) {
        result.detail = fmt::format("stdout does not contain '{}'", command.stdout_contains);
    } else if (!command.stderr_contains.empty() &&
               process.stderr_text.find(command.stderr_contains) == std::string::npos) {
        result.detail = fmt::format("stderr does not contain '{}'", command.stderr_contains);
    } else {
        result.passed = true;
        result.detail = fmt::format("exit {}", process.exit_code);
    }
    return result;
}

}  // namespace launchkit::probe
