#include "playbook/step_order.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>

#include <fmt/format.h>

namespace launchkit::playbook {

Result<std::vector<Step>> order_steps(std::vector<Step> steps, std::string_view source) {
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < steps.size(); ++i) index[steps[i].name] = i;
    std::vector<std::vector<size_t>> dependencies(steps.size());
    for (size_t i = 0; i < steps.size(); ++i) {
        if (!steps[i].needs_declared) {
            if (i > 0) dependencies[i].push_back(i - 1);
            continue;
        }
        for (const auto& name : steps[i].needs) {
            auto found = index.find(name);
            if (found == index.end())
                return fail(ExitCode::invalid_input, "{}: steps.{}.needs: no step named '{}'",
                            steps[i].where, steps[i].name, name);
            dependencies[i].push_back(found->second);
        }
    }
    // Depth-first search for a cycle, to name it.
    std::vector<int> state(steps.size(), 0);  // 0 new, 1 on the path, 2 done
    std::vector<size_t> path;
    std::function<std::optional<std::string>(size_t)> visit =
        [&](size_t node) -> std::optional<std::string> {
        state[node] = 1;
        path.push_back(node);
        for (size_t dependency : dependencies[node]) {
            if (state[dependency] == 1) {
                auto start = std::find(path.begin(), path.end(), dependency);
                std::string cycle;
                for (auto it = start; it != path.end(); ++it) cycle += steps[*it].name + " → ";
                return cycle + steps[dependency].name;
            }
            if (state[dependency] == 0)
                if (auto cycle = visit(dependency)) return cycle;
        }
        path.pop_back();
        state[node] = 2;
        return std::nullopt;
    };
    for (size_t i = 0; i < steps.size(); ++i)
        if (state[i] == 0)
            if (auto cycle = visit(i))
                return fail(ExitCode::invalid_input, "{}: steps: `needs` form a cycle: {}", source,
                            *cycle);
    // Kahn's algorithm, always taking the earliest-written ready step.
    std::vector<size_t> waiting(steps.size(), 0);
    for (size_t i = 0; i < steps.size(); ++i) waiting[i] = dependencies[i].size();
    std::vector<bool> done(steps.size(), false);
    std::vector<Step> ordered;
    while (ordered.size() < steps.size()) {
        size_t next = 0;
        while (done[next] || waiting[next] > 0) ++next;
        done[next] = true;
        ordered.push_back(steps[next]);
        for (size_t i = 0; i < steps.size(); ++i)
            for (size_t dependency : dependencies[i])
                if (dependency == next) --waiting[i];
    }
    return ordered;
}

}  // namespace launchkit::playbook
