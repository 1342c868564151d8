// An etcd with authentication on: launchkit signs in as the user named by ETCD_USERNAME and
// ETCD_PASSWORD (never argv), works within the keys that user may touch, and fails plainly, never
// printing the password, when the credentials are wrong or half given. An etcd that speaks only
// TLS and asks for client certificates: reached with --etcd-cacert/--etcd-cert/--etcd-key or the
// configuration's etcd: files, refused without them.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "probe/http_client.h"
#include "support/etcd_server.h"
#include "support/state_fixture.h"
#include "support/temp_dir.h"

using launchkit::testing::Environment;
using launchkit::testing::EtcdCluster;
using launchkit::testing::StateFixture;
using launchkit::testing::TempDir;

namespace {

std::string base64(std::string_view bytes) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        unsigned n = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 |
                     (unsigned char)bytes[i + 2];
        for (int shift : {18, 12, 6, 0}) out += alphabet[(n >> shift) & 63];
    }
    if (i + 1 == bytes.size()) {
        unsigned n = (unsigned char)bytes[i] << 16;
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += "==";
    } else if (i + 2 == bytes.size()) {
        unsigned n = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8;
        for (int shift : {18, 12, 6}) out += alphabet[(n >> shift) & 63];
        out += '=';
    }
    return out;
}

// POSTs one request of etcd's auth API as an administrator does with etcdctl.
void administer(const EtcdCluster& cluster, const std::string& path, const nlohmann::json& body) {
    launchkit::probe::HttpRequest request;
    request.method = "POST";
    request.url = cluster.endpoints().front() + path;
    request.body = body.dump();
    request.content_type = "application/json";
    auto answer = launchkit::probe::send_http(request);
    REQUIRE(answer);
    INFO(path << ": " << answer->body);
    REQUIRE(answer->status == 200);
}

// A cluster of its own (authentication is cluster-wide): root, and `deployer`, who may read and
// write only under launchkit/.
struct AuthenticatedCluster {
    EtcdCluster cluster{1};

    AuthenticatedCluster() {
        administer(cluster, "/v3/auth/user/add", {{"name", "root"}, {"password", "root-pw"}});
        administer(cluster, "/v3/auth/role/add", {{"name", "root"}});
        administer(cluster, "/v3/auth/user/grant", {{"user", "root"}, {"role", "root"}});
        administer(cluster, "/v3/auth/user/add",
                   {{"name", "deployer"}, {"password", "s3cret-deployer-pw"}});
        administer(cluster, "/v3/auth/role/add", {{"name", "fleet"}});
        administer(cluster, "/v3/auth/role/grant",
                   {{"name", "fleet"},
                    {"perm",
                     {{"permType", "READWRITE"},
                      {"key", base64("launchkit/")},
                      {"range_end", base64("launchkit0")}}}});
        administer(cluster, "/v3/auth/user/grant", {{"user", "deployer"}, {"role", "fleet"}});
        administer(cluster, "/v3/auth/enable", nlohmann::json::object());
    }

    Environment as(const std::string& user, const std::string& password,
                   const std::string& prefix = "launchkit/prod") const {
        Environment environment{{"LAUNCHKIT_STORE", cluster.store_url(prefix)}};
        if (!user.empty()) environment.emplace_back("ETCD_USERNAME", user);
        if (!password.empty()) environment.emplace_back("ETCD_PASSWORD", password);
        return environment;
    }
};

}  // namespace

TEST_CASE("an etcd with authentication is used as the user ETCD_USERNAME names", "[cli][etcd]") {
    AuthenticatedCluster etcd;
    StateFixture laptop, ci_runner;
    auto deployer = etcd.as("deployer", "s3cret-deployer-pw");

    auto created = laptop.flags({"create", "checkout-v2"}, deployer);
    INFO(created.stderr_text);
    REQUIRE(created.exit_code == 0);
    REQUIRE(laptop.flags({"enable", "checkout-v2"}, deployer).exit_code == 0);
    CHECK(ci_runner.flags({"get", "checkout-v2"}, deployer).exit_code == 0);
    REQUIRE(
        ci_runner.launchctl({"pause", "redemption", "--reason", "incident"}, deployer).exit_code ==
        0);
    CHECK(laptop.launchctl({"status", "redemption"}, deployer).exit_code == 1);
    auto verified = laptop.flags({"audit", "--verify"}, deployer);
    INFO(verified.stderr_text);
    CHECK(verified.exit_code == 0);

    // Without credentials, or outside the user's keys: refused by etcd, exit 3.
    auto anonymous = laptop.flags({"get", "checkout-v2"}, etcd.as("", ""));
    CHECK(anonymous.exit_code == 3);
    auto elsewhere =
        laptop.flags({"create", "other"}, etcd.as("deployer", "s3cret-deployer-pw", "other/x"));
    CHECK(elsewhere.exit_code == 3);
    CHECK_THAT(elsewhere.stderr_text, Catch::Contains("permission denied"));
}

TEST_CASE("wrong or half-given etcd credentials fail plainly and never show the password",
          "[cli][etcd]") {
    AuthenticatedCluster etcd;
    StateFixture fixture;
    auto wrong = fixture.flags({"list"}, etcd.as("deployer", "not-the-password"));
    CHECK(wrong.exit_code == 3);
    CHECK_THAT(wrong.stderr_text, Catch::Contains("authentication failed"));
    CHECK_THAT(wrong.stderr_text, !Catch::Contains("not-the-password"));

    auto half = fixture.flags({"list"}, etcd.as("deployer", ""));
    CHECK(half.exit_code == 2);
    CHECK_THAT(half.stderr_text, Catch::Contains("ETCD_PASSWORD is not"));
}

TEST_CASE("an etcd that asks for client certificates is reached with the TLS files",
          "[cli][etcd]") {
    EtcdCluster cluster(1, true);
    const auto& files = cluster.certificates();
    StateFixture fixture;
    Environment store{{"LAUNCHKIT_STORE", cluster.store_url("launchkit/tls")}};
    std::vector<std::string> tls{"--etcd-cacert", files.ca.string(),
                                 "--etcd-cert",   files.client_cert.string(),
                                 "--etcd-key",    files.client_key.string()};
    auto with = [&](std::vector<std::string> arguments, std::vector<std::string> options) {
        arguments.insert(arguments.end(), options.begin(), options.end());
        return fixture.flags(std::move(arguments), store);
    };

    auto created = with({"create", "checkout-v2"}, tls);
    INFO(created.stderr_text);
    CHECK(created.exit_code == 0);
    CHECK(with({"get", "checkout-v2"}, tls).exit_code == 1);  // created off

    // The same files from the configuration.
    TempDir config;
    config.write("launchkit.yaml", "etcd: {cacert: " + files.ca.string() +
                                       ", cert: " + files.client_cert.string() +
                                       ", key: " + files.client_key.string() + "}\n");
    auto configured = with({"list", "--config", (config.path() / "launchkit.yaml").string()}, {});
    INFO(configured.stderr_text);
    CHECK(configured.exit_code == 0);
    CHECK_THAT(configured.stdout_text, Catch::Contains("checkout-v2"));

    // Not trusting the members' CA, or showing no client certificate: no connection, exit 3.
    CHECK(with({"list"}, {}).exit_code == 3);
    CHECK(with({"list"}, {"--etcd-cacert", files.ca.string()}).exit_code == 3);
    // Files named but missing, or a certificate without its key: exit 2 before any request.
    auto missing = with({"list"}, {"--etcd-cacert", "/nonexistent/ca.pem"});
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.stderr_text, Catch::Contains("/nonexistent/ca.pem"));
    CHECK(with({"list"}, {"--etcd-cert", files.client_cert.string()}).exit_code == 2);
}
