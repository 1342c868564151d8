#include "notify/delivery.h"

#include <thread>

#include <fmt/format.h>

#include "notify/notification_target.h"
#include "notify/payloads.h"
#include "probe/http_client.h"
#include "util/bounded_json.h"
#include "util/file_io.h"
#include "util/process.h"
#include "util/strings.h"

namespace launchkit::notify {
namespace {

constexpr const char* pagerduty_endpoint = "https://events.pagerduty.com/v2/enqueue";

std::string without(std::string text, const std::string& secret) {
    if (secret.empty()) return text;
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
        text.replace(at, secret.size(), "<secret>");
    return text;
}

// Whether trying again may help: no answer at all, rate limiting, or the service's own trouble.
bool worth_retrying(const Result<probe::HttpResponse>& answer) {
    return !answer || answer->status == 429 || answer->status >= 500;
}

void render_text(std::ostream& out, const Notice& notice) {
    out << fmt::format("Subject: {}\n\n{}\n", notice.subject, notice.text) << std::flush;
}

}  // namespace

Delivery deliver(const nlohmann::json& target, const Notice& notice, const DeliveryPolicy& policy) {
    Delivery delivery;
    delivery.target = describe_target(target);
    auto kind = target.value("kind", "stdout");
    if (kind == "stdout") {
        if (policy.text_output) render_text(*policy.text_output, notice);
        delivery.delivered = true;
        delivery.attempts = 1;
        return delivery;
    }
    if (kind == "file") {
        std::filesystem::path path(target.value("file", ""));
        std::ostringstream text;
        render_text(text, notice);
        delivery.attempts = 1;
        auto written = [&]() -> Result<void> {
            if (path.has_parent_path()) LAUNCHKIT_TRY(util::create_directories(path.parent_path()));
            return util::append_durably(path, text.str() + "\n", 0644);  // the user's own file
        }();
        delivery.delivered = static_cast<bool>(written);
        if (!written) delivery.error = written.error().message;
        return delivery;
    }
    probe::HttpRequest request;
    request.method = "POST";
    request.content_type = "application/json";
    request.timeout = policy.timeout;
    std::string secret;
    if (kind == "webhook") {
        request.url = target.value("url", "");
        auto token = probe::read_token({target.value("token_env", "")});
        if (!token) {
            delivery.error = token.error().message;
            return delivery;
        }
        request.bearer_token = *token;
        request.body = util::dump_json(webhook_payload(notice));
    } else {
        auto read =
            probe::read_token({target.value("secret_env", ""), target.value("secret_file", "")});
        if (!read) {
            delivery.error = read.error().message;
            return delivery;
        }
        secret = *read;
        if (kind == "slack") {
            request.url = secret;
            request.body = util::dump_json(slack_message(notice));
        } else if (kind == "teams") {
            request.url = secret;
            request.body = util::dump_json(teams_message(notice));
        } else {
            auto action = pagerduty_action(notice.kind);
            if (!action) {
                delivery.skipped = true;
                return delivery;
            }
            auto endpoint = target.value("endpoint", "");
            request.url = endpoint.empty() ? pagerduty_endpoint : endpoint;
            request.body = util::dump_json(pagerduty_event(notice, secret, *action));
        }
    }
    auto wait = policy.first_wait;
    auto began = std::chrono::steady_clock::now();
    for (int attempt = 1; attempt <= policy.attempts; ++attempt) {
        delivery.attempts = attempt;
        auto answer = probe::send_http(request);
        if (answer && answer->status >= 200 && answer->status < 300) {
            delivery.delivered = true;
            delivery.error.clear();
            return delivery;
        }
        delivery.error =
            without(answer ? fmt::format("{} answered {}{}", kind, answer->status,
                                         answer->body.empty()
                                             ? ""
                                             : ": " + util::first_line(answer->body).substr(0, 200))
                           : answer.error().message,
                    secret);
        auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - began);
        if (!worth_retrying(answer) || attempt == policy.attempts ||
            spent + wait + policy.timeout > policy.budget)
            break;
        if (policy.sleep)
            policy.sleep(wait);
        else
            std::this_thread::sleep_for(wait);
        wait *= 2;
    }
    return delivery;
}

}  // namespace launchkit::notify
