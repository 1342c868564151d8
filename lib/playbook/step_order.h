// The order steps run in: each after the steps it `needs` (a step without `needs:` after the one
// listed before it; `needs: []` after none), ties kept in the order written. A cycle is refused,
// naming its steps.
#pragma once

#include <vector>

#include "base/error.h"
#include "playbook/playbook.h"

namespace launchkit::playbook {

// Exit code 2 for an unknown name in `needs` or a cycle ("a → b → a").
Result<std::vector<Step>> order_steps(std::vector<Step> steps, std::string_view source);

}  // namespace launchkit::playbook
