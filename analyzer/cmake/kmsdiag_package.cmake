# `cmake --install` and the Debian package (cpack -G DEB): bin/kmsdiag, share/kmsdiag/rules, the README.
# The binary finds the installed rules relative to itself (KMSDIAG_INSTALLED_RULES_FROM_BIN, top-level
# CMakeLists.txt; analyzer/src/cli/rules_location.cpp), so the prefix can be anything and the tree can move.
install(TARGETS kmsdiag RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/rules/ DESTINATION ${CMAKE_INSTALL_DATADIR}/kmsdiag/rules)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kmsdiag)
set(CPACK_PACKAGE_VERSION ${KMSDIAG_PACKAGE_VERSION})
set(CPACK_PACKAGE_CONTACT "kmsdiag maintainers <kmsdiag@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "diagnoses Windows volume activation (KMS, MAK, AD-based) failures from exported logs")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)  # the build type keeps debug info; the package does not need it
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
# Runtime dependencies from the shared libraries the binary links (dpkg-shlibdeps, in dpkg-dev); without it,
# the Debian 12 packages of the libraries .ci/install-deps builds against.
find_program(KMSDIAG_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(KMSDIAG_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
      "libc6, libstdc++6, libgcc-s1, libarchive13, libc-ares2, libfmt9, libpugixml1v5, libre2-9, libgcrypt20, libyaml-cpp0.7, zlib1g")
endif()
include(CPack)
