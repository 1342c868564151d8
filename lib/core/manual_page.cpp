#include "core/manual_page.h"

#include <sstream>

#include <fmt/format.h>

namespace launchkit {
namespace {

// Text safe in roff: backslashes escaped, and no line starting with a control character.
std::string escape(const std::string& text) {
    std::string out;
    bool line_start = true;
    for (char c : text) {
        if (line_start && (c == '.' || c == '\'')) out += "\\&";
        if (c == '\\')
            out += "\\e";
        else if (c == '-')
            out += "\\-";
        else
            out += c;
        line_start = c == '\n';
    }
    return out;
}

std::string upper(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

bool visible(const CLI::App* command) {
    return !command->get_group().empty();
}

// "release-manager backup restore" for a nested command.
std::string full_name(const CLI::App* command) {
    std::string name = command->get_name();
    for (auto* parent = command->get_parent(); parent != nullptr; parent = parent->get_parent())
        name = parent->get_name() + " " + name;
    return name;
}

void write_options(std::ostringstream& page, const CLI::App& command) {
    for (const auto* option : command.get_options()) {
        if (option->get_name() == "--help" || option->get_name() == "-h,--help") continue;
        std::string names = option->get_positional() ? upper(option->get_name(true))
                                                     : option->get_name(false, true);
        if (option->get_positional())
            names = "\\fI" + escape(names) + "\\fR";
        else
            names = "\\fB" + escape(names) + "\\fR";
        if (!option->get_positional() && option->get_type_size_max() > 0)
            names += " \\fI" + escape(option->get_type_name()) + "\\fR";
        page << ".TP\n" << names << "\n" << escape(option->get_description()) << "\n";
    }
}

// The footer's example lines: everything before the global-options reminder.
std::string example_of(const CLI::App& command) {
    auto footer = command.get_footer();
    if (!footer.starts_with("Example")) return {};
    auto end = footer.find("\n\n");
    return footer.substr(0, end);
}

void write_command(std::ostringstream& page, const CLI::App& command) {
    page << ".SS \"" << escape(full_name(&command)) << "\"\n"
         << escape(command.get_description()) << "\n";
    write_options(page, command);
    if (auto example = example_of(command); !example.empty())
        page << ".PP\n.nf\n" << escape(example) << "\n.fi\n";
    for (const auto* sub : command.get_subcommands([](const CLI::App*) { return true; }))
        if (visible(sub)) write_command(page, *sub);
}

}  // namespace

std::string manual_page(const CLI::App& app, const std::string& version, const std::string& date) {
    std::ostringstream page;
    auto name = app.get_name();
    page << fmt::format(".TH \"{}\" 1 \"{}\" \"launchkit {}\" \"launchkit manual\"\n", upper(name),
                        date, version)
         << ".SH NAME\n"
         << escape(name) << " \\- " << escape(app.get_description()) << "\n"
         << ".SH SYNOPSIS\n.B " << escape(name)
         << "\n[\\fIGLOBAL OPTIONS\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGUMENTS\\fR]\n"
         << ".SH DESCRIPTION\n"
         << escape(app.get_description())
         << " Part of launchkit: safe, scriptable upgrades and rollbacks.\n"
         << ".SH COMMANDS\n";
    for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; }))
        if (visible(sub)) write_command(page, *sub);
    page << ".SH GLOBAL OPTIONS\nThese work before or after the command.\n";
    write_options(page, app);
    if (auto example = example_of(app); !example.empty())
        page << ".SH EXAMPLES\n.nf\n" << escape(example) << "\n.fi\n";
    page << ".SH EXIT STATUS\n"
            ".TP\n0\nok\n"
            ".TP\n1\na check, gate or decision said no\n"
            ".TP\n2\nusage or invalid input; nothing was changed\n"
            ".TP\n3\nenvironment or runtime failure (I/O error, unreachable server, a rollback "
            "that failed, a deploy stopped by a signal)\n"
         << ".SH ENVIRONMENT\n"
            ".TP\n.B LAUNCHKIT_STATE_DIR\nstate directory (flags, launch controls, ledger, "
            "backups, runs)\n"
            ".TP\n.B LAUNCHKIT_CONFIG\nconfiguration file (default ./launchkit.yaml)\n"
            ".TP\n.B LAUNCHKIT_ACTOR\nwho is acting, for ledgers and audit logs\n"
            ".TP\n.B NO_COLOR\nnever colour output\n"
         << ".SH SEE ALSO\n"
         << escape(
                "launchctl(1), release-manager(1), feature-flags(1), diagnose(1); README.md "
                "and playbooks/ in the launchkit sources")
         << "\n";
    return page.str();
}

}  // namespace launchkit
