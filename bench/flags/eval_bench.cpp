// launchkit's side of the evaluation benchmark: evaluate_flag (answer and variant) of one flag
// for N generated contexts, the same contexts sdk_rate.js generates for the unleash-client SDK.
//   flag_eval_bench FEATURES.json FLAG N
// prints {"evaluations", "seconds", "enabled", "variants": {name: count}}
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "flags/flag_evaluation.h"
#include "flags/unleash_format.h"
#include "util/file_io.h"

namespace {

using launchkit::flags::EvaluationContext;

// Context i, as sdk_rate.js's benchContext(i) builds it.
nlohmann::json bench_context(long i) {
    static const char* regions[] = {"eu-west", "eu-north", "eu-south", "us-east",
                                    "us-west", "ap-south", "EU-WEST"};
    static const char* versions[] = {"2.3.0",  "2.3.1", "2.4.0-beta.1", "2.3.0-rc.1",   "1.9.9",
                                     "10.0.0", "2.3",   "v2.5.0",       "2.10.0+build", "3.0.0"};
    static const char* plans[] = {"free", "pro", "team"};
    static const char* domains[] = {"@example.com", "@EXAMPLE.COM", "@example.org",
                                    "@shop.example.com", ".example.com"};
    nlohmann::json context = {
        {"sessionId", "s-" + std::to_string(i * 7919 % 1000003)},
        {"remoteAddress", "10." + std::to_string((i >> 16) & 255) + "." +
                              std::to_string((i >> 8) & 255) + "." + std::to_string(i & 255)},
        {"properties",
         {{"region", regions[i % 7]},
          {"appVersion", versions[i / 7 % 10]},
          {"plan", plans[i / 70 % 3]},
          {"email", "user" + std::to_string(i % 1000) + domains[i / 3 % 5]},
          {"age", std::to_string(10 + i * 31 % 71)}}}};
    if (i % 10 != 0) context["userId"] = "u-" + std::to_string(i);
    return context;
}

int fail(const std::string& message) {
    std::fprintf(stderr, "flag_eval_bench: %s\n", message.c_str());
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) return fail("usage: flag_eval_bench FEATURES.json FLAG N");
    std::string flag = argv[2];
    long count = std::atol(argv[3]);
    auto text = launchkit::util::read_file(argv[1]);
    if (!text) return fail(text.error().message);
    auto targeting = launchkit::flags::targeting_from_unleash(
        nlohmann::json::parse(*text, nullptr, false), argv[1]);
    if (!targeting) return fail(targeting.error().message);
    if (!targeting->flag(flag)) return fail("no flag '" + flag + "' in " + argv[1]);

    std::vector<EvaluationContext> contexts;
    contexts.reserve(static_cast<size_t>(count));
    for (long i = 0; i < count; ++i) {
        auto context = launchkit::flags::context_from_json(bench_context(i), "context");
        if (!context) return fail(context.error().message);
        contexts.push_back(std::move(*context));
    }

    std::map<std::string, long, std::less<>> variants;
    long enabled = 0;
    auto start = std::chrono::steady_clock::now();
    for (const auto& context : contexts) {
        auto evaluation = launchkit::flags::evaluate_flag(*targeting, flag, context);
        enabled += evaluation.enabled;
        ++variants[evaluation.variant];
    }
    std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
    std::printf("%s\n", nlohmann::json{{"evaluations", count},
                                       {"seconds", seconds.count()},
                                       {"enabled", enabled},
                                       {"variants", variants}}
                            .dump()
                            .c_str());
    return 0;
}
