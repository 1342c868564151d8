// Shell completion from the CLI11 command tree: `TOOL __complete WORDS... CURRENT` prints one
// candidate per line, "value<TAB>description", and ":files" when file names fit too. The bash, zsh
// and fish scripts in completions/ only relay this, so every subcommand, option and value a shell
// offers comes from the same definitions that parse the command line.
#include <algorithm>
#include <set>

#include "core/command_line.h"

namespace launchkit {
namespace {

std::string one_line(const std::string& text) {
    auto line = text.substr(0, text.find('\n'));
    return line.size() > 70 ? line.substr(0, 67) + "..." : line;
}

// "--playbook" for an option, "id" for a positional.
std::vector<std::string> names_of(const CLI::Option& option) {
    if (option.get_positional()) return {option.get_name(true)};
    std::vector<std::string> names;
    for (const auto& name : option.get_lnames()) names.push_back("--" + name);
    return names;
}

bool takes_value(const CLI::Option& option) {
    return option.get_type_size_max() > 0;
}

const CLI::Option* find_option(const CLI::App& command, const std::string& word) {
    auto name = word.substr(0, word.find('='));
    for (const auto* scope = &command; scope != nullptr; scope = scope->get_parent())
        for (const auto* option : scope->get_options())
            if (!option->get_positional() && option->check_name(name)) return option;
    return nullptr;
}

// The state the completed command would read: --state-dir, --store and --config as typed so far.
std::optional<Context> completion_context(const std::vector<std::string>& words) {
    GlobalOptions globals;
    for (size_t i = 0; i + 1 < words.size(); ++i) {
        if (words[i] == "--state-dir") globals.state_dir = words[i + 1];
        if (words[i] == "--store") globals.store = words[i + 1];
        if (words[i] == "--config") globals.config_path = words[i + 1];
    }
    auto context = make_context(globals);
    if (!context) return std::nullopt;
    return std::move(*context);
}

}  // namespace

void CommandLine::complete_with(CLI::Option* option, CompletionSource source) {
    completions_[option] = std::move(source);
}

void CommandLine::complete_values(CLI::Option* option, std::vector<std::string> values) {
    completions_[option] = [values = std::move(values)](const Context&) { return values; };
}

void CommandLine::complete_files(CLI::Option* option) {
    file_options_.insert(option);
}

void CommandLine::complete_named(const std::string& name, CompletionSource source,
                                 std::set<std::string> except) {
    named_completions_[name] = {std::move(source), std::move(except)};
}

void CommandLine::complete_values_named(const std::string& name, std::vector<std::string> values) {
    complete_named(name, [values = std::move(values)](const Context&) { return values; });
}

void CommandLine::complete_files_named(const std::set<std::string>& names) {
    file_option_names_.insert(names.begin(), names.end());
}

int CommandLine::complete(const std::vector<std::string>& words) {
    auto current = words.empty() ? std::string() : words.back();
    std::vector<std::string> typed(words.begin(), words.empty() ? words.end() : words.end() - 1);

    // Walk what is typed: subcommands descend, options skip their value, the rest are positionals.
    const CLI::App* command = &app_;
    const CLI::Option* awaiting_value = nullptr;
    size_t positionals = 0;
    for (const auto& word : typed) {
        if (awaiting_value) {
            awaiting_value = nullptr;
            continue;
        }
        if (word.starts_with("-")) {
            const auto* option = find_option(*command, word);
            if (option && takes_value(*option) && word.find('=') == std::string::npos)
                awaiting_value = option;
            continue;
        }
        bool descended = false;
        for (const auto* sub : command->get_subcommands([](const CLI::App*) { return true; }))
            if (sub->get_name() == word && !sub->get_group().empty()) {
                command = sub;
                positionals = 0;
                descended = true;
                break;
            }
        if (!descended) ++positionals;
    }

    auto emit_values = [&](const CLI::Option* option) {
        bool files = file_options_.contains(option);
        const CompletionSource* source = nullptr;
        if (auto found = completions_.find(option); found != completions_.end())
            source = &found->second;
        for (const auto& name : names_of(*option)) {
            files = files || file_option_names_.contains(name);
            auto named = named_completions_.find(name);
            if (!source && named != named_completions_.end() &&
                !named->second.except.contains(command->get_name()))
                source = &named->second.source;
        }
        if (files) std::cout << ":files\n";
        if (!source) return;
        auto context = completion_context(typed);
        if (!context) return;
        try {
            for (const auto& value : (*source)(*context)) std::cout << value << '\n';
        } catch (const std::exception&) {
            // A completion must never print an error into the user's command line.
        }
    };
    if (awaiting_value) {
        emit_values(awaiting_value);
        return 0;
    }
    if (current.starts_with("-")) {
        std::set<std::string> seen;  // --help is defined on every level
        for (const auto* scope = command; scope != nullptr; scope = scope->get_parent())
            for (const auto* option : scope->get_options())
                for (const auto& name : option->get_lnames())
                    if (seen.insert(name).second)
                        std::cout << "--" << name << '\t' << one_line(option->get_description())
                                  << '\n';
        return 0;
    }
    for (const auto* sub : command->get_subcommands([](const CLI::App*) { return true; }))
        if (!sub->get_group().empty())
            std::cout << sub->get_name() << '\t' << one_line(sub->get_description()) << '\n';
    // The positional this word would fill.
    size_t index = 0;
    for (const auto* option : command->get_options()) {
        if (!option->get_positional()) continue;
        auto count = static_cast<size_t>(std::max(option->get_items_expected_max(), 1));
        if (positionals < index + count || option->get_items_expected_max() > 1000) {
            emit_values(option);
            break;
        }
        index += count;
    }
    return 0;
}

}  // namespace launchkit
