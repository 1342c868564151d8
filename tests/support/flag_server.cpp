#include "support/flag_server.h"

#include <csignal>

#include <httplib.h>
#include <catch2/catch.hpp>

#include "util/strings.h"

namespace launchkit::testing {

FlagServer::FlagServer(const StateFixture& fixture, std::vector<std::string> arguments,
                       Environment environment) {
    auto port_file = dir_.path() / "port";
    arguments.insert(arguments.begin(),
                     {"serve", "--listen", "127.0.0.1:0", "--port-file", port_file.string()});
    auto spec = fixture.spec("feature-flags", std::move(arguments), std::move(environment));
    process_ =
        BackgroundProcess(std::move(spec.argv), dir_.path() / "server.log", "",
                          {.environment = std::move(spec.environment), .stop_signal = SIGTERM});
    port_ = wait_for_port_file(process_, port_file, "feature-flags serve");
}

int FlagServer::stop() {
    return process_.stop();
}

std::string FlagServer::log() const {
    return process_.log();
}

namespace {

HttpAnswer answer_of(const httplib::Result& result) {
    REQUIRE(result);
    HttpAnswer answer;
    answer.status = result->status;
    answer.body = result->body;
    for (const auto& [name, value] : result->headers) answer.headers[util::to_lower(name)] = value;
    return answer;
}

httplib::Headers headers_of(const std::map<std::string, std::string>& headers) {
    httplib::Headers converted;
    for (const auto& [name, value] : headers) converted.emplace(name, value);
    return converted;
}

}  // namespace

HttpAnswer FlagServer::get(const std::string& path,
                           const std::map<std::string, std::string>& headers) const {
    httplib::Client client("127.0.0.1", port_);
    return answer_of(client.Get(path, headers_of(headers)));
}

HttpAnswer FlagServer::post(const std::string& path, const std::string& body,
                            const std::map<std::string, std::string>& headers) const {
    httplib::Client client("127.0.0.1", port_);
    return answer_of(client.Post(path, headers_of(headers), body, "application/json"));
}

}  // namespace launchkit::testing
