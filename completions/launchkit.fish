# Fish completion for the launchkit tools: candidates ("value<TAB>description") come from the
# executable itself (`TOOL __complete WORDS... CURRENT`, its CLI11 command tree and state).
function __launchkit_complete
    set -l tokens (commandline -opc) (commandline -ct)
    for line in ($tokens[1] __complete $tokens[2..-1] 2>/dev/null)
        if string match -q ':files*' -- $line
            __fish_complete_path (commandline -ct)
        else
            echo $line
        end
    end
end

for tool in launchctl release-manager feature-flags diagnose
    complete -c $tool -f -a '(__launchkit_complete)'
end
