// Real etcd members (Debian's `etcd-server`) on 127.0.0.1 for the etcd backend's tests: one member
// or a cluster of several, each on free ports with a private data directory, stopped and started
// again on demand (a member down mid-test) and killed with the fixture.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

#include "support/background_process.h"
#include "support/temp_dir.h"

namespace launchkit::testing {

// A private CA with a server certificate for 127.0.0.1 and a client certificate (PEM files).
struct EtcdCertificates {
    std::filesystem::path ca{};
    std::filesystem::path server_cert{};
    std::filesystem::path server_key{};
    std::filesystem::path client_cert{};
    std::filesystem::path client_key{};
};

class EtcdCluster {
  public:
    // Starts `members` members and waits until the cluster has a leader. With `tls`, clients
    // speak HTTPS to them and must show a certificate from the cluster's CA.
    explicit EtcdCluster(size_t members = 1, bool tls = false);
    // One single-member cluster for the whole test run, for tests that stop no member: each test
    // works under its own key prefix.
    static EtcdCluster& shared();
    EtcdCluster(const EtcdCluster&) = delete;
    EtcdCluster& operator=(const EtcdCluster&) = delete;

    // "http://127.0.0.1:PORT" of each member, in order.
    std::vector<std::string> endpoints() const;
    // "etcd://127.0.0.1:P1,127.0.0.1:P2/PREFIX" (etcd+https:// with TLS), the way users name a
    // store.
    std::string store_url(const std::string& prefix) const;
    // "TAG-PID-N", a prefix no other test (nor another test process) uses: tests sharing one
    // cluster each work under their own.
    static std::string unique_prefix(const std::string& tag);
    // The TLS files (empty paths without TLS).
    const EtcdCertificates& certificates() const { return certificates_; }

    // SIGKILLs member `index` (its data stays); start() brings it back with the same data.
    void stop(size_t index);
    void start(size_t index);

  private:
    struct Member {
        std::string name;
        int client_port = 0;
        int peer_port = 0;
        BackgroundProcess process{};
    };
    void spawn(Member& member, bool fresh);
    void wait_ready(const Member& member) const;

    TempDir dir_;
    EtcdCertificates certificates_{};
    std::vector<Member> members_;
    std::string initial_cluster_;
};

}  // namespace launchkit::testing
