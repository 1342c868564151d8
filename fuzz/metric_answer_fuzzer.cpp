// JSON answers from servers and files launchkit reads values from: an HTTP check's JSON body
// against `expect: json:` pointers (the first line holds one expectation), metric series (JSON
// and CSV) and `diagnose snapshot` baselines.
#include "decide/metric_series.h"
#include "fuzz_input.h"
#include "probe/check.h"
#include "probe/http_probe.h"
#include "probe/metric_snapshot.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto [expectation_text, body] = fuzz::split_once(fuzz::as_text(data, size), "\n");
    probe::HttpExpectation expect;
    if (auto expectation = probe::parse_json_expectation(expectation_text))
        expect.json.push_back(*expectation);
    expect.body_contains.emplace_back("ok");
    probe::HttpResponse response;
    response.status = 200;
    response.body = body;
    (void)probe::find_http_failure(expect, response);
    (void)decide::parse_series_json(body, "series.json");
    (void)decide::parse_series_csv(body, "series.csv");
    (void)probe::parse_snapshot(body, "snapshot.json");
    return 0;
}
