// E-mail notifications: the message as RFC 5322 wants it, and sent over STARTTLS with AUTH to a
// real SMTP server nobody here wrote (aiosmtpd), whose received message Python's own e-mail parser
// reads back under its strict policy.
#include <catch2/catch.hpp>

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "notify/delivery.h"
#include "notify/email.h"
#include "support/smtp_receiver.h"
#include "support/temp_dir.h"

using namespace launchkit::notify;
using launchkit::testing::SmtpReceiver;

namespace {

// Python's email package (strict policy: a defect is an error) reads the message's headers.
nlohmann::json parsed_by_python(const std::string& message) {
    launchkit::testing::TempDir dir;
    dir.write("message.eml", message);
    auto result = launchkit::testing::run_program(
        {"/usr/bin/python3", "-c",
         "import email, email.policy, json, sys\n"
         "m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), "
         "policy=email.policy.strict)\n"
         "print(json.dumps({k: str(m[k]) for k in ('From', 'To', 'Subject', 'Date', 'Message-ID')}"
         " | {'body': m.get_content().replace('\\r\\n', '\\n'), 'type': m.get_content_type(),"
         " 'charset': m.get_content_charset(), 'defects': len(m.defects)}))\n",
         (dir.path() / "message.eml").string()});
    INFO(result.stderr_text);
    REQUIRE(result.exit_code == 0);
    return nlohmann::json::parse(result.stdout_text);
}

}  // namespace

TEST_CASE("an e-mail is composed as RFC 5322 wants, and nothing can inject a header",
          "[notify][email]") {
    MailMessage message;
    message.from = "launchkit@example.com";
    message.to = {"incident-response@example.com", "oncall@example.com"};
    message.subject = "[URGENT] System Rollback – redemption failures\r\nBcc: evil@example.com";
    message.body = "We are implementing an emergency rollback.\n.\nNext update in 30 minutes.\n";
    message.message_id = "20261204T101500000Z-ab12.1@launchkit";
    message.date = std::chrono::system_clock::time_point(std::chrono::seconds(1796379300));
    auto composed = compose_mail(message);
    REQUIRE(composed);
    CHECK(composed->find("\r\nBcc:") == std::string::npos);
    CHECK(composed->find('\n') == composed->find("\r\n") + 1);
    auto headers = parsed_by_python(*composed);
    CHECK(headers["defects"] == 0);
    CHECK(headers["From"] == "launchkit@example.com");
    CHECK(headers["To"] == "incident-response@example.com, oncall@example.com");
    CHECK(headers["Subject"] ==
          "[URGENT] System Rollback – redemption failures  Bcc: evil@example.com");
    CHECK(headers["Date"] == "Fri, 04 Dec 2026 10:15:00 +0000");
    CHECK(headers["Message-ID"] == "<20261204T101500000Z-ab12.1@launchkit>");
    CHECK(headers["type"] == "text/plain");
    CHECK(headers["charset"] == "utf-8");
    CHECK(headers["body"] ==
          "We are implementing an emergency rollback.\n.\nNext update in 30 minutes.\n");

    for (const auto* bad : {"oncall@example.com\r\nBcc: x@y", "a@b, c@d", "<a@b>", "nobody", ""}) {
        auto with_bad = message;
        with_bad.to = {bad};
        INFO(bad);
        CHECK_FALSE(compose_mail(with_bad));
    }
}

TEST_CASE("an e-mail goes out over STARTTLS with AUTH, and a wrong password is said, not shown",
          "[notify][email]") {
    SmtpReceiver receiver;
    ::setenv("LAUNCHKIT_TEST_SMTP_USER", SmtpReceiver::username, 1);
    ::setenv("LAUNCHKIT_TEST_SMTP_PASSWORD", SmtpReceiver::password, 1);
    nlohmann::json target{{"kind", "email"},
                          {"url", receiver.url()},
                          {"from", "launchkit@example.com"},
                          {"to", {"incident-response@example.com"}},
                          {"username_env", "LAUNCHKIT_TEST_SMTP_USER"},
                          {"secret_env", "LAUNCHKIT_TEST_SMTP_PASSWORD"},
                          {"secret_file", ""},
                          {"ca_file", receiver.certificate().string()},
                          {"require_tls", true}};
    Notice facts;
    facts.run_id = "20261204T101500000Z-ab12";
    facts.playbook = "mycelia-upgrade";
    facts.version = "1.5.0";
    facts.environment = "production";
    facts.previous_version = "1.4.0";
    auto notice = describe_run_moment(NoticeKind::rolling_back, facts);
    DeliveryPolicy policy;
    policy.sleep = [](std::chrono::milliseconds) {};
    auto delivery = deliver(target, notice, policy);
    INFO(delivery.error);
    REQUIRE(delivery.delivered);
    CHECK(delivery.target == "email to incident-response@example.com via " + receiver.url());
    auto messages = receiver.messages();
    REQUIRE(messages.size() == 1);
    auto envelope = nlohmann::json::parse(messages[0].second);
    CHECK(envelope["tls"] == true);
    CHECK(envelope["login"] == "launchkit");
    CHECK(envelope["mail_from"] == "launchkit@example.com");
    CHECK(envelope["rcpt_tos"] == nlohmann::json{"incident-response@example.com"});
    auto headers = parsed_by_python(messages[0].first);
    CHECK(headers["Subject"] == "[URGENT] Rolling back: mycelia-upgrade 1.5.0 in production");
    CHECK_THAT(headers["Message-ID"].get<std::string>(),
               Catch::StartsWith("<20261204T101500000Z-ab12."));
    CHECK_THAT(headers["body"].get<std::string>(),
               Catch::Contains("Previous version: 1.4.0") && Catch::Contains("Run: 20261204T"));

    ::setenv("LAUNCHKIT_TEST_SMTP_PASSWORD", "wrong-password-value", 1);
    auto refused = deliver(target, notice, policy);
    CHECK_FALSE(refused.delivered);
    CHECK_FALSE(refused.error.empty());
    CHECK(refused.error.find("wrong-password-value") == std::string::npos);
    CHECK(receiver.messages().size() == 1);

    // Without the certificate the server is not trusted: nothing is sent in the clear instead.
    ::setenv("LAUNCHKIT_TEST_SMTP_PASSWORD", SmtpReceiver::password, 1);
    auto untrusted = target;
    untrusted["ca_file"] = "";
    CHECK_FALSE(deliver(untrusted, notice, policy).delivered);
    CHECK(receiver.messages().size() == 1);
    ::unsetenv("LAUNCHKIT_TEST_SMTP_USER");
    ::unsetenv("LAUNCHKIT_TEST_SMTP_PASSWORD");
}
