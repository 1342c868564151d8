#include "util/background_sha256.h"

#include <algorithm>

namespace launchkit::util {

BackgroundSha256::BackgroundSha256() : worker_([this] { hash_chunks(); }) {}

BackgroundSha256::~BackgroundSha256() {
    finish();
}

void BackgroundSha256::update(std::string_view data) {
    while (!data.empty()) {
        if (filling_.capacity() == 0) {
            std::unique_lock lock(mutex_);
            if (spare_.empty() && chunks_ < max_chunks) {
                ++chunks_;
                lock.unlock();
                filling_.reserve(chunk_size);
            } else {
                changed_.wait(lock, [this] { return !spare_.empty(); });
                filling_ = std::move(spare_.back());
                spare_.pop_back();
            }
        }
        auto take = std::min(data.size(), chunk_size - filling_.size());
        filling_.insert(filling_.end(), data.begin(), data.begin() + static_cast<long>(take));
        data.remove_prefix(take);
        if (filling_.size() == chunk_size) hand_over();
    }
}

void BackgroundSha256::hand_over() {
    {
        std::lock_guard lock(mutex_);
        ready_.push_back(std::move(filling_));
    }
    filling_ = {};
    changed_.notify_all();
}

void BackgroundSha256::finish() {
    if (!worker_.joinable()) return;
    if (!filling_.empty()) hand_over();
    {
        std::lock_guard lock(mutex_);
        finished_ = true;
    }
    changed_.notify_all();
    worker_.join();
}

std::string BackgroundSha256::hex_digest() {
    finish();
    return hash_.hex_digest();
}

void BackgroundSha256::hash_chunks() {
    std::unique_lock lock(mutex_);
    while (true) {
        changed_.wait(lock, [this] { return !ready_.empty() || finished_; });
        if (ready_.empty()) return;  // finished, and everything hashed
        auto chunk = std::move(ready_.front());
        ready_.pop_front();
        lock.unlock();
        hash_.update(std::string_view(chunk.data(), chunk.size()));
        chunk.clear();
        lock.lock();
        spare_.push_back(std::move(chunk));
        changed_.notify_all();
    }
}

}  // namespace launchkit::util
