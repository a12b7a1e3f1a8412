# Finds the SDK's dependencies. Shared by the in-tree build and the installed
# stegolabConfig.cmake, so an out-of-tree plugin sees exactly what in-tree
# plugins see.
include(CMakeFindDependencyMacro)
find_dependency(Torch)
find_dependency(nlohmann_json)
find_dependency(Boost 1.74)
find_dependency(Threads)

# LibTorch's exported flags (e.g. the C++ ABI define) must reach every target.
if(NOT TARGET stegolab_torch)
  add_library(stegolab_torch INTERFACE IMPORTED)
  set_property(TARGET stegolab_torch PROPERTY INTERFACE_LINK_LIBRARIES "${TORCH_LIBRARIES}")
  set_property(TARGET stegolab_torch PROPERTY INTERFACE_INCLUDE_DIRECTORIES "${TORCH_INCLUDE_DIRS}")
  separate_arguments(_stegolab_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
  set_property(TARGET stegolab_torch PROPERTY INTERFACE_COMPILE_OPTIONS "${_stegolab_torch_flags}")
endif()
