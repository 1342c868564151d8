// Times launchkit's statistics on data files written by make_data.py, for bench/decide/run:
//   decide_bench mann-whitney FIRST.f64 SECOND.f64 REPEATS   (raw little-endian doubles)
//   decide_bench gate DIR REPEATS                            (DIR/metric-K-{canary,baseline}.f64)
// Prints one JSON line with the median time in milliseconds and the results, so that the driver
// can check that both tools computed the same thing.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "decide/canary_judge.h"
#include "decide/mann_whitney.h"

namespace {

std::vector<double> read_doubles(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    auto size = static_cast<size_t>(in.tellg());
    std::vector<double> values(size / sizeof(double));
    in.seekg(0);
    in.read(reinterpret_cast<char*>(values.data()), static_cast<std::streamsize>(size));
    return values;
}

template <typename Work>
double median_milliseconds(int repeats, Work&& work) {
    std::vector<double> times;
    for (int i = 0; i < repeats; ++i) {
        auto start = std::chrono::steady_clock::now();
        work();
        times.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    using namespace launchkit::decide;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 4 && args[0] == "mann-whitney") {
        auto first = read_doubles(args[1]);
        auto second = read_doubles(args[2]);
        MannWhitneyResult result;
        double ms = median_milliseconds(std::stoi(args[3]),
                                        [&] { result = mann_whitney_u(first, second); });
        std::cout << nlohmann::json{{"ms", ms}, {"u", result.u}, {"p", result.p_value}} << '\n';
        return 0;
    }
    if (args.size() == 3 && args[0] == "gate") {
        std::vector<CanaryMetric> metrics;
        std::map<std::string, std::vector<double>> canary;
        std::map<std::string, std::vector<double>> baseline;
        for (int k = 0; k < 20; ++k) {
            CanaryMetric metric;
            metric.name = "metric-" + std::to_string(k);
            metric.group = "group-" + std::to_string(k % 4);
            metric.direction = Direction::increase;
            metrics.push_back(metric);
            canary[metric.name] = read_doubles(args[1] + "/" + metric.name + "-canary.f64");
            baseline[metric.name] = read_doubles(args[1] + "/" + metric.name + "-baseline.f64");
        }
        CanaryJudgement judgement;
        double ms = median_milliseconds(std::stoi(args[2]), [&] {
            judgement = judge_canary(metrics, canary, baseline, CanaryJudgeSettings{});
        });
        nlohmann::json classes = nlohmann::json::array();
        nlohmann::json estimates = nlohmann::json::array();
        for (const auto& metric : judgement.metrics) {
            classes.push_back(to_string(metric.classification));
            estimates.push_back(*metric.estimate);
        }
        std::cout << nlohmann::json{{"ms", ms}, {"score", judgement.score}, {"classes", classes},
                                    {"estimates", estimates}}
                  << '\n';
        return 0;
    }
    std::cerr << "usage: decide_bench mann-whitney FIRST SECOND REPEATS | gate DIR REPEATS\n";
    return 2;
}
