# cmake/package.cmake - `cpack -G DEB` in the build folder: a Debian package
# of everything `cmake --install` installs (cmake/install.cmake), under /usr.
set(CPACK_PACKAGE_NAME mailsim)
set(CPACK_PACKAGE_VENDOR "mailsim")
# Whoever builds and publishes a .deb puts their own name here
# (-DMAILSIM_DEB_MAINTAINER="Name <address>"); the default is a placeholder
# in the reserved .invalid domain (RFC 2606), which no mail reaches.
set(MAILSIM_DEB_MAINTAINER "mailsim packager (placeholder) <packager@mailsim.invalid>"
    CACHE STRING "Maintainer field of the .deb (Debian policy 5.6.2: name <address>); set it when you publish a package")
set(CPACK_PACKAGE_CONTACT "${MAILSIM_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "email delivery simulator: program, C++ library and CMake package")
set(CPACK_PACKAGE_DESCRIPTION
    "mailsim plays email delivery worlds (MUAs, MTAs, LDAs, fake DNS, faults) in deterministic virtual time or live. The package holds the mailsim program and the static library with its public header and CMake package, so that a C++ test can find_package(mailsim) and run scenarios.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # mailsim_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# The program's shared libraries (Debian 12's names), then what the CMake
# package's find_dependency() calls and the static libraries' links need.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6, libstdc++6, libgcc-s1, libfmt9, libssl3, libpsl5, libfmt-dev, nlohmann-json3-dev, libssl-dev, libpsl-dev")
if(MAILSIM_ALLOCATOR)
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", libjemalloc2")
endif()
include(CPack)
