// A real HTTP(S) server on 127.0.0.1 for probe tests (cpp-httplib, in a background thread), serving
// healthy, failing, slow, flapping, recovering (503 twice, then 200), malformed, redirecting,
// token-protected, endless and long-line endpoints.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <utility>

namespace httplib {
class Server;
}

namespace launchkit::testing {

// Makes a self-signed certificate for 127.0.0.1 with the openssl CLI: {certificate, key} in `dir`.
std::pair<std::filesystem::path, std::filesystem::path> make_self_signed_certificate(
    const std::filesystem::path& dir);

class TestHttpServer {
  public:
    // The token /protected accepts as "Authorization: Bearer <token>".
    static constexpr const char* token = "s3cret-token-value";

    // Plain HTTP.
    TestHttpServer();
    // HTTPS with this certificate and key (PEM files).
    TestHttpServer(const std::filesystem::path& certificate, const std::filesystem::path& key);
    ~TestHttpServer();
    TestHttpServer(const TestHttpServer&) = delete;
    TestHttpServer& operator=(const TestHttpServer&) = delete;

    int port() const { return port_; }
    std::string url(const std::string& path) const;

    int requests() const { return requests_.load(); }
    // What /ops reports as {"backlog": N, "failed_jobs": 0}.
    void set_backlog(int backlog) { backlog_ = backlog; }
    // The most /slow requests that were being served at the same moment.
    int max_concurrent_slow() const { return max_concurrent_slow_.load(); }

  private:
    void serve();

    std::unique_ptr<httplib::Server> server_;
    std::string scheme_ = "http";
    std::thread thread_;
    int port_ = 0;
    std::atomic<int> requests_{0};
    std::atomic<int> flaps_{0};
    std::atomic<int> recovering_{0};
    std::atomic<int> backlog_{10};
    std::atomic<int> concurrent_slow_{0};
    std::atomic<int> max_concurrent_slow_{0};
};

}  // namespace launchkit::testing
