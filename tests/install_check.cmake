# `cmake --install` into a scratch prefix puts the tools, their man pages, the three shells'
# completions and the playbooks where users' systems look for them.
# Run as: cmake -DBUILD_DIR=... -DPREFIX=... -P install_check.cmake
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
                RESULT_VARIABLE result OUTPUT_QUIET)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${result}")
endif()
foreach(tool launchctl release-manager feature-flags diagnose)
  foreach(file bin/${tool} share/man/man1/${tool}.1 share/bash-completion/completions/${tool}
               share/fish/vendor_completions.d/${tool}.fish)
    if(NOT EXISTS ${PREFIX}/${file})
      message(FATAL_ERROR "missing after install: ${file}")
    endif()
  endforeach()
  file(READ ${PREFIX}/share/man/man1/${tool}.1 page)
  if(NOT page MATCHES "^\\.TH" OR NOT page MATCHES "\\.SH COMMANDS" OR NOT page MATCHES "Example")
    message(FATAL_ERROR "${tool}.1 is not a man page with commands and examples")
  endif()
endforeach()
foreach(file share/zsh/vendor-completions/_launchkit share/launchkit/playbooks/mycelia-upgrade.yaml
             share/launchkit/playbooks/rules/mycelia-slo.yaml)
  if(NOT EXISTS ${PREFIX}/${file})
    message(FATAL_ERROR "missing after install: ${file}")
  endif()
endforeach()
# `feature-flags serve` runs libexec/launchkit/feature-flags-serve: found from the installed tool
# (a bad --listen is refused by the server itself, exit 2).
if(NOT EXISTS ${PREFIX}/libexec/launchkit/feature-flags-serve)
  message(FATAL_ERROR "missing after install: libexec/launchkit/feature-flags-serve")
endif()
execute_process(COMMAND ${PREFIX}/bin/feature-flags serve --listen nowhere
                RESULT_VARIABLE result OUTPUT_QUIET ERROR_VARIABLE error)
if(NOT result EQUAL 2 OR NOT error MATCHES "is not HOST:PORT")
  message(FATAL_ERROR "installed feature-flags serve did not reach its server: ${result} ${error}")
endif()
file(REMOVE_RECURSE ${PREFIX})
