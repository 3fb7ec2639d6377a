# Installs provgate from BUILD_DIR into a scratch prefix, then builds the consumer against the
# shared library (provgate::provgate) with none of the engine's dependencies findable, runs it,
# and checks the library: its soname, the symbols it exports, and that a consumer needs no
# header of a private dependency. READELF and NM are binutils' tools.
function(fail message)
  message(FATAL_ERROR "package.shared_library: ${message}")
endfunction()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output
                  ERROR_VARIABLE errors)
  if(NOT result EQUAL 0)
    string(REPLACE ";" " " command "${ARGN}")
    fail("`${command}` failed (${result}):\n${output}${errors}")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
file(GLOB library LIST_DIRECTORIES false ${prefix}/lib*/libprovgate.so.0)
if(NOT library)
  fail("libprovgate.so.0 was not installed")
endif()
file(GLOB namelink LIST_DIRECTORIES false ${prefix}/lib*/libprovgate.so)
if(NOT namelink)
  fail("the link libprovgate.so was not installed")
endif()

# The consumer, configured as on a machine where the engine's dependencies are not installed:
# the shared library must need none of their packages.
set(consumer ${WORK_DIR}/consumer)
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/package/consumer -B ${consumer} -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${prefix} -DLIBRARY=shared -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
    -DCMAKE_DISABLE_FIND_PACKAGE_simdjson=ON -DCMAKE_DISABLE_FIND_PACKAGE_yaml-cpp=ON
    -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON -DCMAKE_DISABLE_FIND_PACKAGE_OpenSSL=ON
    -DCMAKE_DISABLE_FIND_PACKAGE_PkgConfig=ON -DCMAKE_DISABLE_FIND_PACKAGE_Threads=ON)
run(${CMAKE_COMMAND} --build ${consumer})

# It runs, and the verdicts are those of the policy: a closed model trained on licensed,
# permissive and first-party data is compliant; non-commercial papers in a commercial model
# are not (P1). A signer of the consumer's own that refuses is called, and its status passed
# on as it was given.
set(examples ${SOURCE_DIR}/examples)
execute_process(COMMAND ${consumer}/consumer ${examples}/licensed-closed/manifest.json
                        ${examples}/signed-report/keys/lab.pub
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE errors)
message(STATUS "${output}${errors}")
if(NOT result EQUAL 0 OR NOT output MATCHES "verdict compliant\n")
  fail("the consumer did not find licensed-closed compliant (exit ${result})")
endif()
if(NOT output MATCHES "signing: the consumer's signer refuses\n")
  fail("the engine did not pass the consumer's signer's status on")
endif()
execute_process(COMMAND ${consumer}/consumer ${examples}/nc-data-commercial/manifest.json
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE errors)
message(STATUS "${output}${errors}")
if(NOT result EQUAL 1 OR NOT output MATCHES "verdict non-compliant\n")
  fail("the consumer did not find nc-data-commercial non-compliant (exit ${result})")
endif()

# The library's soname, and what the consumer needs at run time: libprovgate.so.0, and none of
# the engine's dependencies.
run(${READELF} -d ${library})
if(NOT output MATCHES "\\(SONAME\\)[^\n]*\\[libprovgate\\.so\\.0\\]")
  fail("the soname of ${library} is not libprovgate.so.0:\n${output}")
endif()
run(${READELF} -d ${consumer}/consumer)
set(consumer_dynamic "${output}")
if(NOT consumer_dynamic MATCHES "\\(NEEDED\\)[^\n]*\\[libprovgate\\.so\\.0\\]")
  fail("the consumer does not load libprovgate.so.0:\n${consumer_dynamic}")
endif()
string(REGEX MATCHALL "\\(NEEDED\\)[^\n]*" needed "${consumer_dynamic}")
foreach(entry ${needed})
  if(entry MATCHES "simdjson|yaml|re2|libcrypto|libssl")
    fail("the consumer loads a private dependency of the engine itself: ${entry}")
  endif()
endforeach()

# The exported symbols: provgate's API (functions, and the typeinfo and vtables of its
# exported classes) and nothing else; no symbol of simdjson, yaml-cpp, RE2, OpenSSL or
# nlohmann_json, no internal function, no template of the C++ library.
run(${NM} -D --defined-only --demangle ${library})
string(REPLACE "\n" ";" symbols "${output}")
set(exported 0)
foreach(line ${symbols})
  if(line STREQUAL "")
    continue()
  endif()
  # `ADDRESS TYPE NAME`; the name may hold spaces.
  string(REGEX REPLACE "^[0-9a-fA-F]* *[A-Za-z] " "" name "${line}")
  if(name MATCHES "simdjson|YAML|re2|RE2|nlohmann|EVP_|OPENSSL")
    fail("a private dependency's symbol is exported: ${name}")
  endif()
  if(NOT name MATCHES "^(typeinfo for |typeinfo name for |vtable for )?provgate::")
    fail("a symbol outside provgate's API is exported: ${name}")
  endif()
  # The engine's internals are in namespaces provgate::detail and provgate::expr.
  if(name MATCHES "^([a-z ]+ for )?provgate::(detail|expr)::")
    fail("an internal symbol is exported: ${name}")
  endif()
  math(EXPR exported "${exported} + 1")
endforeach()
foreach(expected "provgate::Check(" "provgate::Version()" "provgate::CheckSession::Finish()"
                 "provgate::CheckResult::ExitCode(" "typeinfo for provgate::Signer")
  string(FIND "${output}" "${expected}" at)
  if(at EQUAL -1)
    fail("`${expected}` is not exported")
  endif()
endforeach()
message(STATUS "${exported} symbols exported, all of provgate's API")

# The consumer's compilation: no include directory but the prefix's, and no header of a
# private dependency read (the compiler lists every header it reads with -M).
file(READ ${consumer}/compile_commands.json commands)
string(JSON count LENGTH "${commands}")
set(command "")
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  string(JSON file GET "${commands}" ${i} file)
  if(file MATCHES "main\\.cc$")
    string(JSON command GET "${commands}" ${i} command)
    string(JSON directory GET "${commands}" ${i} directory)
  endif()
endforeach()
if(command STREQUAL "")
  fail("no compile command for main.cc in ${consumer}/compile_commands.json")
endif()
separate_arguments(arguments UNIX_COMMAND "${command}")
set(preprocess "")
set(previous "")
foreach(argument ${arguments})
  set(directory_given "")
  if(previous MATCHES "^-(I|isystem|iquote|idirafter)$")
    set(directory_given "${argument}")
  elseif(argument MATCHES "^-(I|isystem|iquote|idirafter)(.+)$")
    set(directory_given "${CMAKE_MATCH_2}")
  endif()
  if(NOT directory_given STREQUAL "")
    string(FIND "${directory_given}" "${prefix}/" at)
    if(NOT at EQUAL 0)
      fail("the consumer is compiled with an include directory outside the prefix: "
           "${directory_given}")
    endif()
  endif()
  # Listing the headers writes no object.
  if(NOT argument STREQUAL "-o" AND NOT previous STREQUAL "-o")
    list(APPEND preprocess "${argument}")
  endif()
  set(previous "${argument}")
endforeach()
run(${preprocess} -M -MF ${WORK_DIR}/consumer.d WORKING_DIRECTORY ${directory})
file(READ ${WORK_DIR}/consumer.d headers)
if(NOT headers MATCHES "provgate/check\\.h")
  fail("the header list does not name provgate/check.h:\n${headers}")
endif()
if(headers MATCHES "(simdjson|yaml-cpp|re2/|openssl/|nlohmann)[^ \n]*")
  fail("compiling the consumer reads a private dependency's header: ${CMAKE_MATCH_0}")
endif()
