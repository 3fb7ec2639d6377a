# Warning flags shared by every target of the project.
function(provgate_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(PROVGATE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
