#include "store/etcd_log.h"

#include <charconv>
#include <chrono>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "store/store.h"

namespace launchkit::store {
namespace {

// One page of a read: a journal or a ledger may be long, an etcd answer must stay small.
constexpr std::int64_t page_size = 500;

Result<std::int64_t> sequence_of(std::string_view key, std::string_view prefix) {
    auto digits = key.substr(prefix.size());
    std::int64_t sequence = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), sequence);
    if (error != std::errc{} || end != digits.data() + digits.size() || digits.size() != 20 ||
        sequence < 1)
        return fail(ExitCode::environment,
                    "etcd key '{}' under {} is not a log line (expected "
                    "20 digits after the prefix)",
                    key, prefix);
    if (!is_store_counter(sequence))
        return fail(ExitCode::environment,
                    "etcd key '{}' under {} numbers a log line {}, beyond 2^62: the log is "
                    "damaged",
                    key, prefix, sequence);
    return sequence;
}

}  // namespace

EtcdLog::EtcdLog(std::shared_ptr<EtcdClient> client, std::string prefix)
    : client_(std::move(client)), prefix_(std::move(prefix)) {}

std::string EtcdLog::location() const {
    return fmt::format("{} {}", client_->location(), prefix_);
}

std::string EtcdLog::key(std::int64_t sequence) const {
    return fmt::format("{}{:020d}", prefix_, sequence);
}

Result<std::int64_t> EtcdLog::newest() const {
    LAUNCHKIT_TRY_ASSIGN(auto last, client_->range(prefix_, prefix_range_end(prefix_), 1, 0, true));
    if (last.kvs.empty()) return 0;
    return sequence_of(last.kvs.front().key, prefix_);
}

Result<std::int64_t> EtcdLog::append(std::string_view text,
                                     const std::vector<EtcdOperation>& with) {
    if (next_ == 0) {
        LAUNCHKIT_TRY_ASSIGN(auto last, newest());
        next_ = last + 1;
    }
    std::minstd_rand jitter(std::random_device{}());
    // Each lost race means another appender wrote a line: progress overall. The bound only stops
    // a livelock from hanging a deploy.
    constexpr int max_attempts = 200;
    for (int attempt = 0; attempt < max_attempts; ++attempt) {
        EtcdTransaction transaction;
        auto line_key = key(next_);
        transaction.compare.push_back(EtcdCompare{
            .key = line_key, .target = EtcdCompare::Target::create_revision, .number = 0});
        transaction.success.push_back(EtcdOperation{
            .kind = EtcdOperation::Kind::put, .key = line_key, .value = std::string(text)});
        for (const auto& operation : with) transaction.success.push_back(operation);
        // Lost: read where the log ends now, in the same round trip.
        transaction.failure.push_back(EtcdOperation{.kind = EtcdOperation::Kind::range,
                                                    .key = prefix_,
                                                    .range_end = prefix_range_end(prefix_),
                                                    .limit = 1,
                                                    .newest_first = true});
        LAUNCHKIT_TRY_ASSIGN(auto result, client_->transact(transaction));
        if (result.succeeded) return next_++;
        if (result.ranges.empty() || result.ranges.front().empty())
            return fail(ExitCode::environment, "{}: line {} exists but the log reads empty",
                        location(), next_);
        LAUNCHKIT_TRY_ASSIGN(auto last, sequence_of(result.ranges.front().front().key, prefix_));
        next_ = last + 1;
        std::this_thread::sleep_for(std::chrono::microseconds(jitter() % (200 * (attempt + 1))));
    }
    return fail(ExitCode::environment, "{}: gave up appending after {} conflicting writers",
                location(), max_attempts);
}

Result<std::vector<EtcdLogLine>> EtcdLog::read_from(std::int64_t first) const {
    std::vector<EtcdLogLine> lines;
    auto from = key(std::max<std::int64_t>(first, 1));
    auto end = prefix_range_end(prefix_);
    std::int64_t revision = 0;  // every page as of the first one's moment
    while (true) {
        LAUNCHKIT_TRY_ASSIGN(auto page, client_->range(from, end, page_size, revision));
        revision = page.revision;
        for (auto& kv : page.kvs) {
            LAUNCHKIT_TRY_ASSIGN(auto sequence, sequence_of(kv.key, prefix_));
            lines.push_back(EtcdLogLine{sequence, std::move(kv.value)});
        }
        if (!page.more || page.kvs.empty()) break;
        from = key(lines.back().sequence + 1);
    }
    return lines;
}

}  // namespace launchkit::store
