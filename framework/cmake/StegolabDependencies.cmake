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

# Does the LibTorch found have CUDA? Its config names the CUDA libraries in
# TORCH_CUDA_LIBRARIES (1.13 and 2.x) and, in 2.x, imports torch_cuda and
# c10_cuda as targets. The CUDA-only parts of stegolab are built only then.
# Cached (internal, rewritten at every configure) so scripts/build-gpu can
# report it.
if(TORCH_CUDA_LIBRARIES OR TARGET torch_cuda OR TARGET c10_cuda)
  set(STEGOLAB_TORCH_HAS_CUDA ON CACHE INTERNAL "LibTorch has CUDA")
  find_package(CUDAToolkit QUIET)
else()
  set(STEGOLAB_TORCH_HAS_CUDA OFF CACHE INTERNAL "LibTorch has CUDA")
endif()
if(NOT STEGOLAB_DEPENDENCIES_REPORTED)
  set(STEGOLAB_DEPENDENCIES_REPORTED ON)
  message(STATUS "stegolab: LibTorch ${Torch_VERSION} ${TORCH_INSTALL_PREFIX}, CUDA features ${STEGOLAB_TORCH_HAS_CUDA}")
endif()
