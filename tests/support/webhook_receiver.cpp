#include "support/webhook_receiver.h"

#include <chrono>

#include <httplib.h>

namespace launchkit::testing {

WebhookReceiver::WebhookReceiver() : server_(std::make_unique<httplib::Server>()) {
    auto receive = [this](const httplib::Request& request, httplib::Response& response) {
        std::lock_guard lock(mutex_);
        requests_.push_back({request.method, request.path,
                             request.get_header_value("Authorization"),
                             request.get_header_value("Content-Type"), request.body});
        if (failures_left_ > 0) {
            --failures_left_;
            response.status = 500;
            response.set_content("{\"error\": \"try again\"}", "application/json");
            return;
        }
        // PagerDuty's Events API answers 202 {status, message, dedup_key}; the others 200 "ok".
        if (request.path.find("enqueue") != std::string::npos) {
            response.status = 202;
            auto event = nlohmann::json::parse(request.body, nullptr, false);
            response.set_content(nlohmann::json{{"status", "success"},
                                                {"message", "Event processed"},
                                                {"dedup_key", event.value("dedup_key", "")}}
                                     .dump(),
                                 "application/json");
            return;
        }
        // Statuspage answers a new incident 201 with its id, an update 200 with the incident.
        if (request.path.ends_with("/incidents")) {
            response.status = 201;
            response.set_content(
                nlohmann::json{{"id", "incident-" + std::to_string(requests_.size())}}.dump(),
                "application/json");
            return;
        }
        if (request.method == "PATCH") {
            auto id = request.path.substr(request.path.rfind('/') + 1);
            response.set_content(nlohmann::json{{"id", id}}.dump(), "application/json");
            return;
        }
        response.set_content("ok", "text/plain");
    };
    server_->Post(".*", receive);
    server_->Patch(".*", receive);
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

WebhookReceiver::~WebhookReceiver() {
    server_->stop();
    thread_.join();
}

std::string WebhookReceiver::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void WebhookReceiver::fail_next(int count) {
    std::lock_guard lock(mutex_);
    failures_left_ = count;
}

std::vector<ReceivedRequest> WebhookReceiver::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

std::vector<ReceivedRequest> WebhookReceiver::requests_to(const std::string& path) const {
    std::vector<ReceivedRequest> matching;
    for (const auto& request : requests())
        if (request.path == path) matching.push_back(request);
    return matching;
}

}  // namespace launchkit::testing
