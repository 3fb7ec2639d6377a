# Installs provgate from BUILD_DIR into a scratch prefix, then configures, builds and runs a
# tiny consumer that finds it with find_package(provgate).
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/package/consumer
                        -B ${WORK_DIR}/consumer -G ${GENERATOR}
                        -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "configuring the consumer failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/consumer RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "building the consumer failed")
endif()
execute_process(COMMAND ${WORK_DIR}/consumer/consumer ${SOURCE_DIR}/examples/licensed-closed/manifest.json
                RESULT_VARIABLE result OUTPUT_VARIABLE output)
message(STATUS "${output}")
if(NOT result EQUAL 0 OR NOT output MATCHES "verdict compliant")
  message(FATAL_ERROR "the consumer did not run as expected (exit ${result})")
endif()
foreach(installed share/provgate/schemas/manifest.schema.json share/provgate/rules/default/pack.yaml)
  if(NOT EXISTS ${WORK_DIR}/prefix/${installed})
    message(FATAL_ERROR "${installed} was not installed")
  endif()
endforeach()
