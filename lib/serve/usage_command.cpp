#include "serve/usage_command.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include <fmt/format.h>

#include "core/output.h"
#include "probe/http_client.h"
#include "util/bounded_json.h"

namespace launchkit::serve {

Result<ExitCode> run_usage(Context& context, const UsageOptions& options) {
    std::string server = options.server;
    if (server.empty()) {
        const char* from_environment = std::getenv("LAUNCHKIT_SERVE_URL");
        server = from_environment && *from_environment ? from_environment : "http://127.0.0.1:8016";
    }
    while (server.ends_with('/')) server.pop_back();
    probe::HttpRequest request;
    request.url = server + "/api/usage";
    request.timeout = std::chrono::seconds(10);
    LAUNCHKIT_TRY_ASSIGN(request.bearer_token,
                         probe::read_token({options.token_env, options.token_file}));
    LAUNCHKIT_TRY_ASSIGN(auto body, probe::fetch_ok(request));
    LAUNCHKIT_TRY_ASSIGN(auto answer, util::parse_json(body, ExitCode::environment));
    if (!answer.is_object() || !answer.contains("evaluations") || !answer["evaluations"].is_array())
        return fail(ExitCode::environment, "{}: not a launchkit flag server's usage answer",
                    request.url);

    std::set<std::string, std::less<>> wanted(options.flags.begin(), options.flags.end());
    std::set<std::string, std::less<>> seen;
    auto rows = nlohmann::json::array();
    for (const auto& row : answer["evaluations"]) {
        auto flag = util::string_member(row, "flag");
        auto result = util::string_member(row, "result");
        if (!flag || !result || !row.contains("count") || !row["count"].is_number_unsigned())
            return fail(ExitCode::environment, "{}: a usage row is malformed: {}", request.url,
                        util::dump_json(row));
        if (!wanted.empty() && !wanted.contains(*flag)) continue;
        seen.insert(*flag);
        rows.push_back(row);
    }
    if (context.json) {
        print_json(*context.out, {{"server", server},
                                  {"environment", answer.value("environment", nlohmann::json())},
                                  {"evaluations", rows}});
    } else if (rows.empty()) {
        *context.out << "no evaluations yet\n";
    } else {
        Table table({"FLAG", "RESULT", "COUNT"});
        for (const auto& row : rows)
            table.add_row({row["flag"].get<std::string>(), row["result"].get<std::string>(),
                           std::to_string(row["count"].get<std::uint64_t>())});
        table.render(*context.out, context.color);
    }
    for (const auto& flag : wanted)
        if (!seen.contains(flag)) {
            *context.err << fmt::format("feature-flags: '{}' was not evaluated by {}\n", flag,
                                        server);
            return ExitCode::said_no;
        }
    return ExitCode::ok;
}

}  // namespace launchkit::serve
