// The remote kinds of restic repository the off-site tests copy to, each a real server on
// 127.0.0.1: restic's REST protocol served by Debian's rclone (`rclone serve restic`, with a user
// and password, so that the address carries a secret), and SFTP through Debian's openssh-server
// started on a free port with a generated host key and user key.
#pragma once

#include <filesystem>
#include <string>

#include "support/background_process.h"
#include "support/temp_dir.h"

namespace launchkit::testing {

class ResticRestServer {
  public:
    ResticRestServer();
    static constexpr const char* user = "launchkit";
    static constexpr const char* password = "r3st-s3cret";
    // rest:http://launchkit:r3st-s3cret@127.0.0.1:PORT/
    std::string repository() const;
    const std::filesystem::path& directory() const { return data_; }

  private:
    TempDir dir_;
    std::filesystem::path data_;
    int port_ = 0;
    BackgroundProcess server_;
};

class SftpServer {
  public:
    SftpServer();
    // sftp:launchkit-sftp:/PATH, with the ssh client options that reach the server (its port,
    // the user key, the host key pinned): restic's sftp.command.
    std::string repository() const;
    std::string sftp_command() const;
    const std::filesystem::path& directory() const { return data_; }

  private:
    TempDir dir_;
    std::filesystem::path data_;
    int port_ = 0;
    BackgroundProcess server_;
};

}  // namespace launchkit::testing
