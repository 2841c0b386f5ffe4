# Installs Penumbra into a scratch prefix, then configures, builds and runs examples/embed against it with
# find_package(penumbra): the embedding path a user takes.
set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${PROJECT_BINARY_DIR} --prefix ${prefix} --component Unspecified
                RESULT_VARIABLE result OUTPUT_QUIET)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "installing penumbra failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/embed -B ${build} -DCMAKE_PREFIX_PATH=${prefix}
                        -DCMAKE_BUILD_TYPE=Release
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "configuring the example with find_package(penumbra) failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${build} RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "building the example failed")
endif()
execute_process(COMMAND ${build}/embed WORKING_DIRECTORY ${build} RESULT_VARIABLE result OUTPUT_VARIABLE output)
message(STATUS "${output}")
if(NOT result EQUAL 0 OR NOT output MATCHES "dL/dx of vertex [0-9]+: " OR output MATCHES ": 0 0 0"
   OR NOT EXISTS ${build}/embedded.png)
  message(FATAL_ERROR "the example did not run: ${output}")
endif()
