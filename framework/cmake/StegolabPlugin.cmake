# stegolab_add_plugin(<name> <source>...)
#
# Builds a stegolab plugin: a loadable module linked against the SDK, with
# hidden visibility so only its registration aliases are exported. In-tree
# plugins use this same function, so the installed SDK stays honest.
function(stegolab_add_plugin name)
  if(NOT ARGN)
    message(FATAL_ERROR "stegolab_add_plugin(${name}): no sources given")
  endif()
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE stegolab::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX "stegolab_"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    CXX_STANDARD 17
    CXX_STANDARD_REQUIRED ON)
  if(TARGET stegolab_plugin_pch)
    target_precompile_headers(${name} REUSE_FROM stegolab_plugin_pch)
  endif()
  if(STEGOLAB_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${STEGOLAB_PLUGIN_OUTPUT_DIR})
  endif()
  if(STEGOLAB_PLUGIN_INSTALL_DIR)
    install(TARGETS ${name} LIBRARY DESTINATION ${STEGOLAB_PLUGIN_INSTALL_DIR})
  endif()
  set_property(GLOBAL APPEND PROPERTY STEGOLAB_PLUGINS ${name})
endfunction()

