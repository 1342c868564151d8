# Bash completion for the launchkit tools. Every candidate comes from the executable itself:
# `TOOL __complete WORDS... CURRENT` walks its CLI11 command tree (subcommands, options, and values
# such as flag names, launch controls, backup ids and environments from the state directory), so
# completions never drift from the CLI. A ":files" line asks for file names too.
_launchkit_complete() {
    local current=${COMP_WORDS[COMP_CWORD]}
    local -a words=("${COMP_WORDS[@]:1:COMP_CWORD}")
    local -a values=()
    local line files=
    while IFS= read -r line; do
        if [[ $line == :files* ]]; then
            files=1
        else
            values+=("${line%%$'\t'*}")
        fi
    done < <("${COMP_WORDS[0]}" __complete "${words[@]}" 2>/dev/null)
    COMPREPLY=()
    local IFS=$'\n'
    if [ ${#values[@]} -gt 0 ]; then
        COMPREPLY=($(compgen -W "${values[*]}" -- "$current"))
    fi
    if [ -n "$files" ]; then
        COMPREPLY+=($(compgen -f -- "$current"))
        compopt -o filenames 2>/dev/null
    fi
    return 0
}
complete -F _launchkit_complete launchctl release-manager feature-flags diagnose
