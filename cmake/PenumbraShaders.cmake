# penumbra_embed_shaders(TARGET target SOURCES a.comp b.comp INCLUDE_DIRS dirs...)
# Compiles GLSL to SPIR-V with glslc (with a depfile, so editing an included header rebuilds it)
# and embeds each module in TARGET as a C array named after the file (forward.comp -> forward_comp_spv).
function(penumbra_embed_shaders)
  cmake_parse_arguments(ARG "" "TARGET" "SOURCES;INCLUDE_DIRS" ${ARGN})
  set(include_flags)
  foreach(dir ${ARG_INCLUDE_DIRS})
    list(APPEND include_flags -I${dir})
  endforeach()
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/spirv)
  file(MAKE_DIRECTORY ${out_dir})
  set(embedded_sources)
  foreach(source ${ARG_SOURCES})
    get_filename_component(name ${source} NAME)
    string(MAKE_C_IDENTIFIER "${name}_spv" symbol)
    set(spv ${out_dir}/${name}.spv)
    set(array ${out_dir}/${name}.inc)
    set(cpp ${out_dir}/${symbol}.cpp)
    add_custom_command(
      OUTPUT ${array}
      COMMAND Vulkan::glslc --target-env=vulkan1.1 -O ${include_flags} -MD -MF ${array}.d -mfmt=c
              -o ${array} ${CMAKE_CURRENT_SOURCE_DIR}/${source}
      DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${source}
      DEPFILE ${array}.d
      COMMENT "glslc ${name}"
      VERBATIM)
    file(WRITE ${cpp}.in
      "#include <cstddef>\n#include <cstdint>\nextern const uint32_t ${symbol}[] =\n#include \"${name}.inc\"\n;\nextern const std::size_t ${symbol}_size = sizeof(${symbol});\n")
    configure_file(${cpp}.in ${cpp} COPYONLY)
    set_source_files_properties(${cpp} PROPERTIES OBJECT_DEPENDS ${array})
    list(APPEND embedded_sources ${cpp})
  endforeach()
  target_sources(${ARG_TARGET} PRIVATE ${embedded_sources})
  target_include_directories(${ARG_TARGET} PRIVATE ${out_dir})
endfunction()
