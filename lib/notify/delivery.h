// Sending a notice to one target, retried with back-off while the service is unreachable or busy
// (no answer, 429, 5xx) and given up after a bounded number of attempts. A delivery never throws
// and never fails the run it reports on: the caller journals what happened.
#pragma once

#include <chrono>
#include <functional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "notify/notice.h"

namespace launchkit::notify {

struct DeliveryPolicy {
    int attempts = 4;                           // the first try and three retries
    std::chrono::milliseconds first_wait{500};  // doubled after each failed attempt
    std::chrono::milliseconds timeout{5'000};   // per attempt
    // No retry starts once this much has passed: a service that is down delays a rollback by
    // seconds, never minutes.
    std::chrono::milliseconds budget{20'000};
    std::function<void(std::chrono::milliseconds)> sleep{};  // default: this thread sleeps
    std::ostream* text_output = nullptr;                     // where `stdout` targets print
};

struct Delivery {
    std::string target{};  // describe_target()
    bool delivered = false;
    bool skipped = false;  // the target does not act on this moment (PagerDuty and `started`)
    int attempts = 0;
    std::string error{};  // the last failure, without any secret
    // What the service called it, for the next notice to refer to (a Statuspage incident's id).
    std::string reference{};
};

Delivery deliver(const nlohmann::json& target, const Notice& notice, const DeliveryPolicy& policy);

}  // namespace launchkit::notify
