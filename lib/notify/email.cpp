#include "notify/email.h"

#include <algorithm>
#include <cstring>
#include <ctime>

#include <fmt/format.h>

#include "probe/curl_library.h"

namespace launchkit::notify {
namespace {

std::string rfc5322_date(std::chrono::system_clock::time_point when) {
    auto seconds = std::chrono::system_clock::to_time_t(when);
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char text[64];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &utc);
    return text;
}

bool is_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string base64(std::string_view data) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    for (; i + 2 < data.size(); i += 3) {
        unsigned value = (static_cast<unsigned char>(data[i]) << 16) |
                         (static_cast<unsigned char>(data[i + 1]) << 8) |
                         static_cast<unsigned char>(data[i + 2]);
        for (int shift : {18, 12, 6, 0}) out += alphabet[(value >> shift) & 63];
    }
    if (i < data.size()) {
        unsigned value = static_cast<unsigned char>(data[i]) << 16;
        if (i + 1 < data.size()) value |= static_cast<unsigned char>(data[i + 1]) << 8;
        out += alphabet[(value >> 18) & 63];
        out += alphabet[(value >> 12) & 63];
        out += i + 1 < data.size() ? alphabet[(value >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

// RFC 2047 encoded-words of at most 75 characters, each a whole number of UTF-8 characters.
std::string encoded_subject(std::string_view subject) {
    if (is_ascii(subject)) return std::string(subject);
    std::string out;
    size_t start = 0;
    while (start < subject.size()) {
        size_t end = std::min(subject.size(), start + 45);
        while (end < subject.size() && (static_cast<unsigned char>(subject[end]) & 0xC0) == 0x80)
            --end;
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64(subject.substr(start, end - start)) + "?=";
        start = end;
    }
    return out;
}

std::string one_line(std::string text) {
    std::replace(text.begin(), text.end(), '\r', ' ');
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}

std::string with_crlf(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') continue;
        if (text[i] == '\n') out += '\r';
        out += text[i];
    }
    if (!out.ends_with("\r\n")) out += "\r\n";
    return out;
}

struct Upload {
    std::string_view rest;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
    auto* upload = static_cast<Upload*>(user);
    size_t n = std::min(size * count, upload->rest.size());
    std::memcpy(buffer, upload->rest.data(), n);
    upload->rest.remove_prefix(n);
    return n;
}

}  // namespace

bool is_mail_address(std::string_view address) {
    auto at = address.find('@');
    if (address.empty() || address.size() > 254 || at == 0 || at == std::string_view::npos ||
        at + 1 == address.size() || address.find('@', at + 1) != std::string_view::npos)
        return false;
    return std::none_of(address.begin(), address.end(), [](char c) {
        return static_cast<unsigned char>(c) <= ' ' || std::strchr("<>,;:\"()[]\\", c) != nullptr;
    });
}

Result<std::string> compose_mail(const MailMessage& message) {
    if (!is_mail_address(message.from))
        return fail(ExitCode::invalid_input, "email from '{}': expected one address, local@domain",
                    message.from);
    if (message.to.empty()) return fail(ExitCode::invalid_input, "email to: no recipient");
    for (const auto& to : message.to)
        if (!is_mail_address(to))
            return fail(ExitCode::invalid_input,
                        "email to '{}': expected one address, local@domain", to);
    std::string mail;
    mail += "Date: " + rfc5322_date(message.date) + "\r\n";
    mail += "From: <" + message.from + ">\r\n";
    mail += "To: ";
    for (size_t i = 0; i < message.to.size(); ++i)
        mail += (i ? ",\r\n <" : "<") + message.to[i] + ">";
    mail += "\r\n";
    mail += "Subject: " + encoded_subject(one_line(message.subject)) + "\r\n";
    mail += "Message-ID: <" + one_line(message.message_id) + ">\r\n";
    mail += "MIME-Version: 1.0\r\n";
    mail += "Content-Type: text/plain; charset=utf-8\r\n";
    mail += "Content-Transfer-Encoding: 8bit\r\n";
    mail += "Auto-Submitted: auto-generated\r\n";
    mail += "\r\n";
    mail += with_crlf(message.body);
    return mail;
}

Result<void> send_mail(const SmtpServer& server, const MailMessage& message) {
    bool implicit_tls = server.url.starts_with("smtps://");
    if (!implicit_tls && !server.url.starts_with("smtp://"))
        return fail(ExitCode::invalid_input,
                    "email smtp '{}': expected smtp://HOST:PORT or "
                    "smtps://HOST:PORT",
                    server.url);
    LAUNCHKIT_TRY_ASSIGN(auto text, compose_mail(message));
    LAUNCHKIT_TRY_ASSIGN(const auto* curl, probe::load_curl());
    CURL* easy = curl->curl_easy_init();
    if (!easy) return fail(ExitCode::environment, "email: libcurl could not start a transfer");
    curl_slist* recipients = nullptr;
    for (const auto& to : message.to)
        recipients = curl->curl_slist_append(recipients, ("<" + to + ">").c_str());
    Upload upload{text};
    char error[CURL_ERROR_SIZE] = {};
    auto from = "<" + message.from + ">";
    curl->curl_easy_setopt(easy, CURLOPT_URL, server.url.c_str());
    curl->curl_easy_setopt(easy, CURLOPT_MAIL_FROM, from.c_str());
    curl->curl_easy_setopt(easy, CURLOPT_MAIL_RCPT, recipients);
    curl->curl_easy_setopt(easy, CURLOPT_READFUNCTION, read_upload);
    curl->curl_easy_setopt(easy, CURLOPT_READDATA, &upload);
    curl->curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    curl->curl_easy_setopt(easy, CURLOPT_USE_SSL,
                           server.require_tls ? static_cast<long>(CURLUSESSL_ALL)
                                              : static_cast<long>(CURLUSESSL_NONE));
    curl->curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(server.timeout.count()));
    curl->curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl->curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error);
    if (!server.ca_file.empty())
        curl->curl_easy_setopt(easy, CURLOPT_CAINFO, server.ca_file.c_str());
    if (!server.username.empty()) {
        curl->curl_easy_setopt(easy, CURLOPT_USERNAME, server.username.c_str());
        curl->curl_easy_setopt(easy, CURLOPT_PASSWORD, server.password.c_str());
    }
    auto code = curl->curl_easy_perform(easy);
    long answer = 0;
    curl->curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &answer);
    curl->curl_slist_free_all(recipients);
    curl->curl_easy_cleanup(easy);
    if (code != CURLE_OK)
        return fail(ExitCode::environment, "email via {}: {}{}", server.url,
                    error[0] ? error : curl->curl_easy_strerror(code),
                    answer ? fmt::format(" (SMTP {})", answer) : std::string());
    return {};
}

}  // namespace launchkit::notify
