// A real SMTP server on 127.0.0.1 for the e-mail tests: aiosmtpd (Debian's python3-aiosmtpd),
// STARTTLS required with a self-signed certificate, AUTH as launchkit / mail-password.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "support/background_process.h"
#include "support/temp_dir.h"

namespace launchkit::testing {

class SmtpReceiver {
  public:
    static constexpr const char* username = "launchkit";
    static constexpr const char* password = "mail-password";

    SmtpReceiver();
    SmtpReceiver(const SmtpReceiver&) = delete;
    SmtpReceiver& operator=(const SmtpReceiver&) = delete;

    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
    // The certificate clients must trust (it is self-signed).
    const std::filesystem::path& certificate() const { return certificate_; }
    // Messages received so far, oldest first: the raw message, and its envelope as JSON text.
    std::vector<std::pair<std::string, std::string>> messages() const;

  private:
    TempDir dir_;
    std::filesystem::path certificate_;
    int port_ = 0;
    BackgroundProcess process_;
};

}  // namespace launchkit::testing
