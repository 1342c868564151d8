#include "notify/delivery.h"

#include <thread>

#include <fmt/format.h>

#include "notify/email.h"
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
constexpr const char* statuspage_endpoint = "https://api.statuspage.io/v1";

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

// An e-mail of the notice: its text, then the run's facts one per line.
MailMessage mail_of(const nlohmann::json& target, const Notice& notice) {
    MailMessage mail;
    mail.from = target.value("from", "");
    mail.to = target.value("to", std::vector<std::string>{});
    mail.subject = notice.subject;
    mail.body = notice.text;
    if (!mail.body.empty() && !mail.body.ends_with('\n')) mail.body += '\n';
    for (const auto& [title, value] :
         {std::pair{"Version", notice.version}, std::pair{"Environment", notice.environment},
          std::pair{"Previous version", notice.previous_version}, std::pair{"Step", notice.step},
          std::pair{"Run", notice.run_id}, std::pair{"Report", notice.report_url}})
        if (!value.empty()) mail.body += fmt::format("\n{}: {}", title, value);
    mail.date = std::chrono::system_clock::now();
    mail.message_id = fmt::format(
        "{}.{}@launchkit", notice.run_id.empty() ? "launchkit" : notice.run_id,
        std::chrono::duration_cast<std::chrono::milliseconds>(mail.date.time_since_epoch())
            .count());
    return mail;
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
    // One try: delivered, or why not and whether trying again may help.
    struct Attempt {
        bool delivered = false;
        bool worth_retrying = false;
        std::string error{};
    };
    std::function<Attempt()> attempt_once;
    std::string secret;
    probe::HttpRequest request;
    request.method = "POST";
    request.content_type = "application/json";
    request.timeout = policy.timeout;
    MailMessage mail;
    SmtpServer smtp;
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
        } else if (kind == "statuspage") {
            auto action = statuspage_action(notice.kind, !notice.incident_id.empty());
            if (!action) {
                delivery.skipped = true;
                return delivery;
            }
            auto endpoint = target.value("endpoint", "");
            auto incidents = fmt::format("{}/pages/{}/incidents",
                                         endpoint.empty() ? statuspage_endpoint : endpoint,
                                         target.value("page_id", ""));
            request.method = *action == StatuspageAction::create ? "POST" : "PATCH";
            request.url = *action == StatuspageAction::create
                              ? incidents
                              : incidents + "/" + notice.incident_id;
            request.headers.emplace_back("Authorization", "OAuth " + secret);
            request.body = util::dump_json(statuspage_incident(
                notice, target.value("component_ids", std::vector<std::string>{}), *action));
            delivery.reference = notice.incident_id;
        } else if (kind == "pagerduty") {
            auto action = pagerduty_action(notice.kind);
            if (!action) {
                delivery.skipped = true;
                return delivery;
            }
            auto endpoint = target.value("endpoint", "");
            request.url = endpoint.empty() ? pagerduty_endpoint : endpoint;
            request.body = util::dump_json(pagerduty_event(notice, secret, *action));
        } else {
            smtp.url = target.value("url", "");
            smtp.password = secret;
            smtp.ca_file = target.value("ca_file", "");
            smtp.require_tls = target.value("require_tls", true);
            smtp.timeout = policy.timeout;
            if (auto user = target.value("username_env", ""); !user.empty()) {
                auto name = probe::read_token({user});
                if (!name) {
                    delivery.error = name.error().message;
                    return delivery;
                }
                smtp.username = *name;
            }
            mail = mail_of(target, notice);
        }
    }
    if (kind == "email") {
        attempt_once = [&]() -> Attempt {
            auto sent = send_mail(smtp, mail);
            if (sent) return {true, false, ""};
            return {false, sent.error().code == ExitCode::environment, sent.error().message};
        };
    } else {
        attempt_once = [&]() -> Attempt {
            auto answer = probe::send_http(request);
            if (answer && answer->status >= 200 && answer->status < 300) {
                if (kind == "statuspage" && delivery.reference.empty()) {
                    // A service's answer is bounded in size and, parsed here, in depth.
                    auto created = util::parse_json(answer->body);
                    if (created && created->is_object() && created->contains("id") &&
                        (*created)["id"].is_string())
                        delivery.reference = (*created)["id"].get<std::string>();
                }
                return {true, false, ""};
            }
            return {false, worth_retrying(answer),
                    answer ? fmt::format("{} answered {}{}", kind, answer->status,
                                         answer->body.empty()
                                             ? ""
                                             : ": " + util::first_line(answer->body).substr(0, 200))
                           : answer.error().message};
        };
    }
    auto wait = policy.first_wait;
    auto began = std::chrono::steady_clock::now();
    for (int attempt = 1; attempt <= policy.attempts; ++attempt) {
        delivery.attempts = attempt;
        auto tried = attempt_once();
        if (tried.delivered) {
            delivery.delivered = true;
            delivery.error.clear();
            return delivery;
        }
        delivery.error = without(tried.error, secret);
        auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - began);
        if (!tried.worth_retrying || attempt == policy.attempts ||
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
