# Helpers shared by every folder's CMakeLists.txt.
#
# Two precompiled headers keep the build fast on small machines:
#   mailsim_pch_light  - standard library, fmt and nlohmann::json, for the
#                        sans-I/O protocol cores (they must not see Asio);
#   mailsim_pch_asio   - the above plus Asio, for sessions, agents and tests.
# Every other target reuses one of them, so each is compiled once.

set(MAILSIM_ROOT ${CMAKE_SOURCE_DIR})

add_library(mailsim_pch_light STATIC ${MAILSIM_ROOT}/cmake/pch_light.cpp)
target_include_directories(mailsim_pch_light PUBLIC ${MAILSIM_ROOT})
target_link_libraries(mailsim_pch_light PUBLIC nlohmann_json::nlohmann_json fmt::fmt)
target_precompile_headers(mailsim_pch_light PRIVATE ${MAILSIM_ROOT}/cmake/pch_light.hpp)

add_library(mailsim_pch_asio STATIC ${MAILSIM_ROOT}/cmake/pch_asio.cpp)
target_include_directories(mailsim_pch_asio PUBLIC ${MAILSIM_ROOT} ${Boost_INCLUDE_DIRS})
target_link_libraries(mailsim_pch_asio PUBLIC nlohmann_json::nlohmann_json fmt::fmt Threads::Threads)
target_precompile_headers(mailsim_pch_asio PRIVATE ${MAILSIM_ROOT}/cmake/pch_asio.hpp)

# mailsim_library(NAME SOURCES a.cpp b.cpp [SANS_IO] [DEPS lib ...])
# A static library for one layer.  SANS_IO libraries get the light PCH and no
# Asio include path, so an accidental #include <boost/asio...> fails to build.
# Every such library is installed and exported (cmake/install.cmake); its
# include paths are the source tree's, for the build only: an installed
# program includes the public header (include/mailsim/) alone.
function(mailsim_library name)
  cmake_parse_arguments(ARG "SANS_IO" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  set_property(GLOBAL APPEND PROPERTY MAILSIM_LIBRARIES ${name})
  target_include_directories(${name} PUBLIC $<BUILD_INTERFACE:${MAILSIM_ROOT}>)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} nlohmann_json::nlohmann_json fmt::fmt)
  if(ARG_SANS_IO)
    target_precompile_headers(${name} REUSE_FROM mailsim_pch_light)
  else()
    foreach(dir ${Boost_INCLUDE_DIRS})
      target_include_directories(${name} PUBLIC $<BUILD_INTERFACE:${dir}>)
    endforeach()
    target_link_libraries(${name} PUBLIC Threads::Threads)
    target_precompile_headers(${name} REUSE_FROM mailsim_pch_asio)
  endif()
endfunction()
