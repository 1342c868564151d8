#include "support/metrics_server.h"

#include <httplib.h>

namespace launchkit::testing {

MetricsServer::MetricsServer() : server_(std::make_unique<httplib::Server>()) {
    server_->Get(R"(/.*)", [this](const httplib::Request& request, httplib::Response& response) {
        std::function<void(const std::string&)> hook;
        {
            std::lock_guard lock(mutex_);
            hook = hook_;
        }
        if (hook) hook(request.path);
        std::lock_guard lock(mutex_);
        auto found = answers_.find(request.path);
        if (found == answers_.end()) {
            response.status = hook ? 200 : 404;
            if (hook) response.set_content("ok", "text/plain");
            return;
        }
        ++found->second.requests;
        response.status = found->second.status;
        auto type = found->second.body.starts_with("{") ? "application/json" : "text/plain";
        response.set_content(found->second.body, type);
    });
    // Webhooks: a POST is recorded (its body kept) and answered 200.
    server_->Post(R"(/.*)", [this](const httplib::Request& request, httplib::Response& response) {
        std::function<void(const std::string&)> hook;
        {
            std::lock_guard lock(mutex_);
            hook = hook_;
            auto& answer = answers_[request.path];
            ++answer.requests;
            answer.posted = request.body;
        }
        if (hook) hook(request.path);
        response.set_content("{}", "application/json");
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    // stop() before the listen loop started is lost and the destructor would wait forever.
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

MetricsServer::~MetricsServer() {
    server_->stop();
    thread_.join();
}

void MetricsServer::set(const std::string& path, std::string body, int status) {
    std::lock_guard lock(mutex_);
    auto& answer = answers_[path];
    answer.body = std::move(body);
    answer.status = status;
}

void MetricsServer::on_request(std::function<void(const std::string&)> hook) {
    std::lock_guard lock(mutex_);
    hook_ = std::move(hook);
}

std::string MetricsServer::posted(const std::string& path) const {
    std::lock_guard lock(mutex_);
    auto found = answers_.find(path);
    return found == answers_.end() ? "" : found->second.posted;
}

int MetricsServer::requests(const std::string& path) const {
    std::lock_guard lock(mutex_);
    auto found = answers_.find(path);
    return found == answers_.end() ? 0 : found->second.requests;
}

std::string MetricsServer::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

}  // namespace launchkit::testing
