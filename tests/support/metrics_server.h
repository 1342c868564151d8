// A real HTTP service on 127.0.0.1 whose responses the test sets while it runs: /metrics for the
// canary and baseline, health endpoints, whatever a scenario needs. Each path answers the body
// last set for it (404 until then), and counts its requests.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace launchkit::testing {

class MetricsServer {
  public:
    MetricsServer();
    ~MetricsServer();
    MetricsServer(const MetricsServer&) = delete;
    MetricsServer& operator=(const MetricsServer&) = delete;

    // `path` answers `body` with `status` from now on.
    void set(const std::string& path, std::string body, int status = 200);
    int requests(const std::string& path) const;
    // The body of the last POST to `path` (webhooks).
    std::string posted(const std::string& path) const;
    // Called with each request's path before it is answered (outside the server's lock, so it
    // may call set()); a path nothing was set for then answers 200 "ok". Lets a playbook's
    // command "change traffic" by requesting /weight/25.
    void on_request(std::function<void(const std::string&)> hook);
    std::string url(const std::string& path) const;
    int port() const { return port_; }

  private:
    struct Answer {
        std::string body;
        int status = 200;
        int requests = 0;
        std::string posted;  // the last POST's body
    };
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    int port_ = 0;
    mutable std::mutex mutex_;
    std::map<std::string, Answer> answers_;
    std::function<void(const std::string&)> hook_;
};

}  // namespace launchkit::testing
