#include "support/etcd_server.h"

#include <atomic>
#include <chrono>

#include <fmt/format.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include "probe/http_client.h"
#include "support/background_process.h"
#include "util/file_io.h"

namespace launchkit::testing {

namespace {

void openssl(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), "openssl");
    auto result = util::run_process(util::ProcessSpec{.argv = std::move(arguments)});
    REQUIRE(result);
    INFO(result->stderr_text);
    REQUIRE(result->exit_code == 0);
}

// A CA, and a certificate it signed for `name` with `extensions` (an openssl extension file).
void sign(const std::filesystem::path& dir, const std::string& name, const std::string& subject,
          const std::string& extensions, const EtcdCertificates& ca) {
    auto key = dir / (name + "-key.pem");
    auto request = dir / (name + ".csr");
    auto extension_file = dir / (name + ".ext");
    REQUIRE(util::write_file_atomically(extension_file, extensions));
    openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj",
             subject, "-keyout", key.string(), "-out", request.string()});
    openssl({"x509", "-req", "-in", request.string(), "-CA", ca.ca.string(), "-CAkey",
             (dir / "ca-key.pem").string(), "-CAcreateserial", "-days", "2", "-extfile",
             extension_file.string(), "-out", (dir / (name + ".pem")).string()});
}

EtcdCertificates make_certificates(const std::filesystem::path& dir) {
    EtcdCertificates files;
    files.ca = dir / "ca.pem";
    openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-days", "2", "-subj", "/CN=launchkit test CA", "-keyout",
             (dir / "ca-key.pem").string(), "-out", files.ca.string()});
    sign(dir, "server", "/CN=127.0.0.1",
         "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n", files);
    sign(dir, "client", "/CN=launchkit", "extendedKeyUsage=clientAuth\n", files);
    files.server_cert = dir / "server.pem";
    files.server_key = dir / "server-key.pem";
    files.client_cert = dir / "client.pem";
    files.client_key = dir / "client-key.pem";
    return files;
}

}  // namespace

EtcdCluster::EtcdCluster(size_t members, bool tls) {
    if (tls) certificates_ = make_certificates(dir_.path());
    for (size_t i = 0; i < members; ++i) {
        Member member;
        member.name = fmt::format("member{}", i);
        member.client_port = free_port();
        member.peer_port = free_port();
        if (!initial_cluster_.empty()) initial_cluster_ += ",";
        initial_cluster_ += fmt::format("{}=http://127.0.0.1:{}", member.name, member.peer_port);
        members_.push_back(std::move(member));
    }
    for (auto& member : members_) spawn(member, true);
    for (const auto& member : members_) wait_ready(member);
}

EtcdCluster& EtcdCluster::shared() {
    static EtcdCluster cluster(1);
    return cluster;
}

std::vector<std::string> EtcdCluster::endpoints() const {
    std::vector<std::string> urls;
    for (const auto& member : members_)
        urls.push_back(fmt::format("{}://127.0.0.1:{}", certificates_.ca.empty() ? "http" : "https",
                                   member.client_port));
    return urls;
}

std::string EtcdCluster::unique_prefix(const std::string& tag) {
    static std::atomic<int> next{0};
    return fmt::format("{}-{}-{}", tag, ::getpid(), next++);
}

std::string EtcdCluster::store_url(const std::string& prefix) const {
    std::vector<std::string> hosts;
    for (const auto& member : members_)
        hosts.push_back(fmt::format("127.0.0.1:{}", member.client_port));
    return fmt::format("{}://{}/{}", certificates_.ca.empty() ? "etcd" : "etcd+https",
                       fmt::join(hosts, ","), prefix);
}

void EtcdCluster::spawn(Member& member, bool fresh) {
    auto data = dir_.path() / member.name;
    auto log = dir_.path() / (member.name + ".log");
    auto client = fmt::format("{}://127.0.0.1:{}", certificates_.ca.empty() ? "http" : "https",
                              member.client_port);
    auto peer = fmt::format("http://127.0.0.1:{}", member.peer_port);
    // Short heartbeats and elections: a stopped leader is replaced within a second.
    std::vector<std::string> arguments{
        "etcd",
        "--name=" + member.name,
        "--data-dir=" + data.string(),
        "--listen-client-urls=" + client,
        "--advertise-client-urls=" + client,
        "--listen-peer-urls=" + peer,
        "--initial-advertise-peer-urls=" + peer,
        "--initial-cluster=" + initial_cluster_,
        "--initial-cluster-state=" + std::string(fresh ? "new" : "existing"),
        "--initial-cluster-token=launchkit-tests",
        "--heartbeat-interval=50",
        "--election-timeout=500",
        "--logger=zap",
        "--log-level=warn"};
    if (!certificates_.ca.empty()) {
        arguments.push_back("--cert-file=" + certificates_.server_cert.string());
        arguments.push_back("--key-file=" + certificates_.server_key.string());
        arguments.push_back("--trusted-ca-file=" + certificates_.ca.string());
        arguments.push_back("--client-cert-auth");
    }
    member.process = BackgroundProcess(std::move(arguments), log, "etcd-server");
}

void EtcdCluster::wait_ready(const Member& member) const {
    // Ready once a linearizable read succeeds: the member is up and the cluster has a leader.
    probe::HttpRequest request;
    request.method = "POST";
    request.url = fmt::format("{}://127.0.0.1:{}/v3/kv/range",
                              certificates_.ca.empty() ? "http" : "https", member.client_port);
    request.ca_file = certificates_.ca;
    request.client_cert_file = certificates_.client_cert;
    request.client_key_file = certificates_.client_key;
    request.body = R"({"key": "AA=="})";
    request.timeout = std::chrono::seconds(2);
    wait_until_ready(
        member.process,
        [&request] {
            auto answer = probe::send_http(request);
            return answer && answer->status == 200;
        },
        "etcd " + member.name, std::chrono::seconds(60));
}

void EtcdCluster::stop(size_t index) {
    members_.at(index).process.stop();
}

void EtcdCluster::start(size_t index) {
    auto& member = members_.at(index);
    if (member.process.running()) return;
    spawn(member, false);
    wait_ready(member);
}

}  // namespace launchkit::testing
