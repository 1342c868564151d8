# Bash completion for the launchkit tools. Candidates come from the executables themselves
# (`TOOL __complete WORDS...` walks the real CLI11 command tree), so they never drift from the CLI.
_launchkit_complete() {
    local current=${COMP_WORDS[COMP_CWORD]}
    local -a words=("${COMP_WORDS[@]:1:COMP_CWORD-1}")
    local candidates
    candidates=$("${COMP_WORDS[0]}" __complete "${words[@]}" 2>/dev/null) || return 0
    mapfile -t COMPREPLY < <(compgen -W "${candidates}" -- "${current}")
}
complete -o default -F _launchkit_complete launchctl release-manager feature-flags diagnose
