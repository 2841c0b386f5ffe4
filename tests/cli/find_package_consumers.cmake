# Installs Penumbra into a scratch prefix, then configures, builds and runs two projects against it with
# find_package(penumbra), the path a user takes: examples/embed (the renderer alone, configured with the Vulkan
# SDK and the CUDA toolkit hidden, which a renderer-only consumer must not need) and learning_consumer/
# (COMPONENTS learning: losses, sorting and logic networks).
set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${PROJECT_BINARY_DIR} --prefix ${prefix} --component Unspecified
                RESULT_VARIABLE result OUTPUT_QUIET)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "installing penumbra failed")
endif()
foreach(header penumbra/penumbra.h penumbra/learning/losses.h penumbra/sort/soft_sort.h penumbra/logic/gates.h)
  if(NOT EXISTS ${prefix}/include/${header})
    message(FATAL_ERROR "${header} was not installed")
  endif()
endforeach()
if(EXISTS ${prefix}/include/losses.h)
  message(FATAL_ERROR "a bare losses.h was installed")
endif()

# consumer(NAME SOURCE EXECUTABLE OUTPUT_REGEX [cmake arguments...]): configure, build, run, check its output.
function(consumer name source executable output_regex)
  set(build ${WORK_DIR}/${name})
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${source} -B ${build} -DCMAKE_PREFIX_PATH=${prefix}
                          -DCMAKE_BUILD_TYPE=Release ${ARGN}
                  RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "configuring ${name} with find_package(penumbra) failed")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${build} RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "building ${name} failed")
  endif()
  execute_process(COMMAND ${build}/${executable} WORKING_DIRECTORY ${build} RESULT_VARIABLE result
                  OUTPUT_VARIABLE output)
  message(STATUS "${name}: ${output}")
  if(NOT result EQUAL 0 OR NOT output MATCHES "${output_regex}")
    message(FATAL_ERROR "${name} did not run: ${output}")
  endif()
  set(${name}_output "${output}" PARENT_SCOPE)
endfunction()

consumer(embed ${SOURCE_DIR}/examples/embed embed "dL/dx of vertex [0-9]+: "
         -DCMAKE_DISABLE_FIND_PACKAGE_Vulkan=ON -DCMAKE_DISABLE_FIND_PACKAGE_CUDAToolkit=ON)
if(embed_output MATCHES ": 0 0 0" OR NOT EXISTS ${WORK_DIR}/embed/embedded.png)
  message(FATAL_ERROR "the embedding example gave no gradient or no picture: ${embed_output}")
endif()
consumer(learning ${CMAKE_CURRENT_LIST_DIR}/learning_consumer learning_consumer
         "iou loss 0\\.[0-9]+, largest [|]dL/dx[|] [0-9.e-]+, soft-sorted [0-9.]+ [0-9.]+ [0-9.]+, gate 8 is [A-Za-z]")
