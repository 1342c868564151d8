#include "support/smtp_receiver.h"

#include <chrono>
#include <csignal>

#include <catch2/catch.hpp>

#include "support/background_process.h"
#include "support/http_server.h"
#include "util/file_io.h"

namespace launchkit::testing {

SmtpReceiver::SmtpReceiver() : port_(free_port()) {
    auto [certificate, key] = make_self_signed_certificate(dir_.path());
    certificate_ = certificate;
    auto mail = dir_.path() / "mail";
    std::filesystem::create_directories(mail);
    // Debian's python3-* packages belong to /usr/bin/python3, not to whichever is first on PATH.
    process_ = BackgroundProcess(
        {"/usr/bin/python3", std::string(LAUNCHKIT_SOURCE_DIR) + "/tests/notify/smtp_receiver.py",
         std::to_string(port_), certificate.string(), key.string(), mail.string()},
        dir_.path() / "smtp.log", "python3-aiosmtpd", {.stop_signal = SIGTERM});
    wait_until_ready(
        process_, [&] { return std::filesystem::exists(mail / "ready"); },
        "the SMTP receiver (python3-aiosmtpd)", std::chrono::seconds(30));
}

std::vector<std::pair<std::string, std::string>> SmtpReceiver::messages() const {
    std::vector<std::pair<std::string, std::string>> messages;
    for (int n = 1;; ++n) {
        auto base = dir_.path() / "mail" / std::to_string(n);
        auto envelope = util::read_file(base.string() + ".json");
        auto message = util::read_file(base.string() + ".eml");
        if (!envelope || !message) break;
        messages.emplace_back(*message, *envelope);
    }
    return messages;
}

}  // namespace launchkit::testing
