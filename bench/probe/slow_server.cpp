// The benchmark's endpoints: every request is answered 200 after a fixed delay, any number at once.
//
//     slow_server PORT DELAY_MS
//
// One thread on epoll. The delay is the same for every request, so the requests waiting for their
// answer form a queue already ordered by deadline; the loop sleeps (with nanosecond precision)
// until the first deadline and answers every request that is due. A deep listen backlog and
// HTTP/1.1 keep-alive make sure the server never becomes the queue: the clients' own concurrency
// is what the benchmark measures, and the answers of one round leave within microseconds of each
// other. Pipelined requests on one connection are answered in order, each after its own delay.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view response =
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n";

struct Connection {
    std::string buffer;
    unsigned generation = 0;  // a closed descriptor's number is reused; its answers are dropped
    bool open = false;
};

struct Due {
    Clock::time_point at;
    int fd;
    unsigned generation;
};

// Length of the first complete request in BUFFER (head and Content-Length body), or 0.
size_t complete_request(const std::string& buffer) {
    auto end = buffer.find("\r\n\r\n");
    if (end == std::string::npos) return 0;
    size_t length = 0;
    for (size_t line = buffer.find("\r\n") + 2; line < end;) {
        auto next = buffer.find("\r\n", line);
        if (strncasecmp(buffer.data() + line, "content-length:", 15) == 0)
            length = std::strtoul(buffer.data() + line + 15, nullptr, 10);
        line = next + 2;
    }
    return buffer.size() >= end + 4 + length ? end + 4 + length : 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: slow_server PORT DELAY_MS\n");
        return 2;
    }
    auto delay = std::chrono::milliseconds(std::atoi(argv[2]));
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int on = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[1])));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(listener, 4096) != 0) {
        std::perror("slow_server: bind/listen");
        return 3;
    }
    int epoll = epoll_create1(EPOLL_CLOEXEC);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = listener;
    epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event);

    std::vector<Connection> connections(1024);
    std::deque<Due> queue;
    std::array<epoll_event, 256> events{};
    std::array<char, 65536> chunk{};
    auto close_connection = [&](int fd) {
        epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nullptr);
        close(fd);
        connections[fd].open = false;
        connections[fd].buffer.clear();
        ++connections[fd].generation;
    };
    for (;;) {
        timespec timeout{1, 0};
        if (!queue.empty()) {
            auto left = std::max(queue.front().at - Clock::now(), Clock::duration::zero());
            auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
            timeout = {static_cast<time_t>(ns / 1'000'000'000), ns % 1'000'000'000};
        }
        int ready =
            epoll_pwait2(epoll, events.data(), static_cast<int>(events.size()), &timeout, nullptr);
        for (int i = 0; i < ready; ++i) {
            int fd = events[i].data.fd;
            if (fd == listener) {
                int client;
                while ((client = accept4(listener, nullptr, nullptr,
                                         SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    if (static_cast<size_t>(client) >= connections.size())
                        connections.resize(static_cast<size_t>(client) * 2);
                    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
                    connections[client].open = true;
                    epoll_event client_event{};
                    client_event.events = EPOLLIN;
                    client_event.data.fd = client;
                    epoll_ctl(epoll, EPOLL_CTL_ADD, client, &client_event);
                }
                continue;
            }
            auto& connection = connections[fd];
            ssize_t got;
            while ((got = read(fd, chunk.data(), chunk.size())) > 0)
                connection.buffer.append(chunk.data(), static_cast<size_t>(got));
            if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
                close_connection(fd);
                continue;
            }
            while (size_t length = complete_request(connection.buffer)) {
                connection.buffer.erase(0, length);
                queue.push_back({Clock::now() + delay, fd, connection.generation});
            }
        }
        auto now = Clock::now();
        while (!queue.empty() && queue.front().at <= now) {
            auto due = queue.front();
            queue.pop_front();
            auto& connection = connections[due.fd];
            if (!connection.open || connection.generation != due.generation) continue;
            // Three dozen bytes fit in any socket buffer; a client that cannot take them is gone.
            if (write(due.fd, response.data(), response.size()) !=
                static_cast<ssize_t>(response.size()))
                close_connection(due.fd);
        }
    }
}
