// Toggles one flag N times through the library, each toggle a durable commit to the file store
// (one fsync'd audit record; the snapshot rewritten every 32 records) or, given an etcd store URL,
// one etcd transaction (one raft commit), and prints the elapsed milliseconds.
//   flag_toggle_bench STATE_DIR|etcd://HOST:PORT/PREFIX N
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <memory>
#include <string_view>

#include "flags/flag_repository.h"
#include "store/etcd_store.h"
#include "store/file_store.h"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: flag_toggle_bench STATE_DIR|etcd://HOST:PORT/PREFIX N\n");
        return 2;
    }
    using namespace launchkit;
    std::unique_ptr<store::Store> opened;
    if (std::string_view(argv[1]).starts_with("etcd")) {
        auto location = store::parse_etcd_location(argv[1]);
        auto client = location ? store::EtcdClient::create({.endpoints = location->endpoints})
                               : Result<store::EtcdClient>(std::unexpected(location.error()));
        if (!client) {
            std::fprintf(stderr, "%s\n", client.error().message.c_str());
            return 2;
        }
        opened = std::make_unique<store::EtcdStore>(std::move(*client), location->prefix);
    } else {
        opened = std::make_unique<store::FileStore>(std::filesystem::path(argv[1]) / "store");
    }
    auto& store = *opened;
    store::ChangeNote note{"2026-11-25T00:00:00Z", "bench", "flag_toggle_bench", ""};
    flags::Flag flag;
    flag.name = "bench-toggle";
    if (!flags::find_flag(store, flag.name).value_or(std::nullopt)) {
        if (auto created = flags::create_flag(store, flag, note); !created) {
            std::fprintf(stderr, "%s\n", created.error().message.c_str());
            return 3;
        }
    }
    int toggles = std::atoi(argv[2]);
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < toggles; ++i) {
        bool enable = i % 2 == 0;
        auto changed = flags::modify_flag(
            store, flag.name,
            [&](flags::Flag& current) -> Result<void> {
                flags::set_environment_state(current, "production", enable, 100, note);
                return {};
            },
            note);
        if (!changed || !changed->changed) {
            std::fprintf(stderr, "toggle %d failed\n", i);
            return 3;
        }
    }
    auto elapsed = std::chrono::steady_clock::now() - start;
    std::printf("%lld\n",
                static_cast<long long>(
                    std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));
    return 0;
}
