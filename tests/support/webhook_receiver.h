// A real HTTP server on 127.0.0.1 that receives notifications (Slack, Teams, PagerDuty and generic
// webhooks) and keeps every request for the test to read; it can answer 500 a few times first,
// as a service in trouble does.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace httplib {
class Server;
}

namespace launchkit::testing {

struct ReceivedRequest {
    std::string method;
    std::string path;
    std::string authorization;
    std::string content_type;
    std::string body;
    nlohmann::json json() const { return nlohmann::json::parse(body); }
};

class WebhookReceiver {
  public:
    WebhookReceiver();
    ~WebhookReceiver();
    WebhookReceiver(const WebhookReceiver&) = delete;
    WebhookReceiver& operator=(const WebhookReceiver&) = delete;

    std::string url(const std::string& path) const;
    // The next `count` requests are answered 500 (and still recorded).
    void fail_next(int count);
    std::vector<ReceivedRequest> requests() const;
    std::vector<ReceivedRequest> requests_to(const std::string& path) const;

  private:
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    int port_ = 0;
    mutable std::mutex mutex_;
    std::vector<ReceivedRequest> requests_;
    int failures_left_ = 0;
};

}  // namespace launchkit::testing
