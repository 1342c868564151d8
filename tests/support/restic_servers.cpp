#include "support/restic_servers.h"

#include <fmt/format.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "support/background_process.h"
#include "util/file_io.h"

namespace launchkit::testing {

ResticRestServer::ResticRestServer() : data_(dir_.path() / "repository") {
    std::filesystem::create_directories(data_);
    port_ = free_port();
    server_ = BackgroundProcess(
        {"rclone", "serve", "restic", "--addr", fmt::format("127.0.0.1:{}", port_), "--user", user,
         "--pass", password, "--config", (dir_.path() / "rclone.conf").string(), data_.string()},
        dir_.path() / "rclone.log", "rclone");
    wait_until_listening(server_, port_);
}

std::string ResticRestServer::repository() const {
    return fmt::format("rest:http://{}:{}@127.0.0.1:{}/", user, password, port_);
}

SftpServer::SftpServer() : data_(dir_.path() / "repository") {
    // sshd as root needs its privilege separation directory; Debian creates it at boot.
    if (::geteuid() == 0) ::mkdir("/run/sshd", 0755);
    auto keygen = [&](const std::string& name) {
        auto made = run_program(
            {"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", (dir_.path() / name).string()});
        INFO(made.stderr_text);
        REQUIRE(made.exit_code == 0);
    };
    keygen("host_key");
    keygen("user_key");
    auto home = dir_.path();
    std::filesystem::copy_file(home / "user_key.pub", home / "authorized_keys");
    port_ = free_port();
    dir_.write("sshd_config", fmt::format("Port {}\nListenAddress 127.0.0.1\nHostKey {}\n"
                                          "AuthorizedKeysFile {}\nPasswordAuthentication no\n"
                                          "KbdInteractiveAuthentication no\nUsePAM no\n"
                                          "StrictModes no\nPidFile none\n"
                                          "Subsystem sftp internal-sftp\n",
                                          port_, (home / "host_key").string(),
                                          (home / "authorized_keys").string()));
    auto host_key = util::read_file(home / "host_key.pub").value();
    dir_.write("known_hosts", fmt::format("[127.0.0.1]:{} {}", port_, host_key));
    const passwd* account = ::getpwuid(::geteuid());
    REQUIRE(account != nullptr);
    dir_.write("ssh_config",
               fmt::format("Host launchkit-sftp\n  HostName 127.0.0.1\n  Port {}\n  User {}\n"
                           "  IdentityFile {}\n  IdentitiesOnly yes\n  UserKnownHostsFile {}\n"
                           "  StrictHostKeyChecking yes\n  BatchMode yes\n",
                           port_, account->pw_name, (home / "user_key").string(),
                           (home / "known_hosts").string()));
    server_ =
        BackgroundProcess({"/usr/sbin/sshd", "-D", "-e", "-f", (home / "sshd_config").string()},
                          home / "sshd.log", "openssh-server");
    wait_until_listening(server_, port_);
}

std::string SftpServer::repository() const {
    return "sftp:launchkit-sftp:" + data_.string();
}

std::string SftpServer::sftp_command() const {
    return fmt::format("ssh -F {} launchkit-sftp -s sftp", (dir_.path() / "ssh_config").string());
}

}  // namespace launchkit::testing
