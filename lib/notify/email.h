// E-mail notifications: an RFC 5322 message (UTF-8 text, a Message-ID naming the run) sent over
// SMTP by libcurl, with STARTTLS required unless the URL is smtps:// (TLS from the start).
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "base/error.h"

namespace launchkit::notify {

struct MailMessage {
    std::string from;
    std::vector<std::string> to;
    std::string subject;
    std::string body;
    std::string message_id;  // without <>, e.g. RUN_ID.1733340000000@launchkit
    std::chrono::system_clock::time_point date{};
};

// Whether `address` is one plain mailbox (local@domain): no display name, no line break, no
// angle brackets or separators that could smuggle another recipient or header.
bool is_mail_address(std::string_view address);

// The message as sent: headers (Date, From, To, Subject encoded per RFC 2047 when not ASCII,
// Message-ID, MIME-Version, Content-Type text/plain; charset=utf-8) and the body, CRLF line ends.
// Exit 2 for an address that is not one mailbox.
Result<std::string> compose_mail(const MailMessage& message);

struct SmtpServer {
    std::string url;                  // smtp://HOST:PORT (STARTTLS) or smtps://HOST:PORT
    std::string username;             // empty: no AUTH
    std::string password;             // never printed
    std::filesystem::path ca_file{};  // extra trust anchor (a private mail relay)
    bool require_tls = true;          // false only for a relay on the same host
    std::chrono::milliseconds timeout{10'000};
};

// Sends one message; exit 3 naming the server (never the password) when it is not accepted.
Result<void> send_mail(const SmtpServer& server, const MailMessage& message);

}  // namespace launchkit::notify
