# cmake/install.cmake - what `cmake --install` puts under the prefix:
#
#   bin/mailsim                                 the program
#   include/mailsim/mailsim.hpp                 the public API (sim/embed)
#   lib/libmailsim.a                            its library: target mailsim::mailsim
#   lib/mailsim/libmailsim_*.a                  the engine's libraries (link-only dependencies)
#   lib/cmake/mailsim/mailsimConfig.cmake       find_package(mailsim), its version file
#   lib/cmake/mailsim/mailsimTargets*.cmake     the exported targets, namespace mailsim::
#
# A program needs only find_package(mailsim REQUIRED) and
# target_link_libraries(app PRIVATE mailsim::mailsim) (examples/embed/).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Installing (and cpack, which installs first) copies what is built and
# never builds: `cmake --build build` first.  Without this, cpack's
# preinstall step would build every target, the whole test suite included.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(MAILSIM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/mailsim)
get_property(_mailsim_libraries GLOBAL PROPERTY MAILSIM_LIBRARIES)

# Two components, both in the .deb: `program` (bin/mailsim) and
# `development` (the rest); `cmake --install build --component development`
# installs only what a program that links mailsim needs.
install(TARGETS mailsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT program)
install(TARGETS mailsim_embed EXPORT mailsimTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development)
install(TARGETS ${_mailsim_libraries} EXPORT mailsimTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}/mailsim COMPONENT development)
install(FILES ${MAILSIM_ROOT}/include/mailsim/mailsim.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mailsim
  COMPONENT development)
install(EXPORT mailsimTargets NAMESPACE mailsim:: DESTINATION ${MAILSIM_CMAKE_DIR} COMPONENT development)

configure_package_config_file(${MAILSIM_ROOT}/cmake/mailsimConfig.cmake.in
  ${CMAKE_BINARY_DIR}/mailsimConfig.cmake INSTALL_DESTINATION ${MAILSIM_CMAKE_DIR})
# 0.x: a minor version may change the API.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/mailsimConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/mailsimConfig.cmake ${CMAKE_BINARY_DIR}/mailsimConfigVersion.cmake
  DESTINATION ${MAILSIM_CMAKE_DIR} COMPONENT development)
