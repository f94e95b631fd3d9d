# The version kmsdiag reports (--version, the JSON report) and the Debian package version, from
# `git describe` of this checkout at configure time; the project version when the source is not a git
# checkout of its own (a tarball, or a tarball unpacked inside some other repository).
#   KMSDIAG_VERSION_STRING   "0.2.0" on a tag v0.2.0; "0.2.0-3-gabc1234" three commits later;
#                            "0.1.0-gabc1234" when no v* tag exists; "-dirty" appended for local changes
#   KMSDIAG_PACKAGE_VERSION  the same as a Debian version: "0.2.0", "0.2.0+3.gabc1234", "0.1.0+gabc1234"
set(KMSDIAG_VERSION_STRING "${PROJECT_VERSION}")
set(KMSDIAG_PACKAGE_VERSION "${PROJECT_VERSION}")

find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${CMAKE_SOURCE_DIR} rev-parse --show-toplevel
                  OUTPUT_VARIABLE _top RESULT_VARIABLE _rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(_rc EQUAL 0 AND _top)
    file(REAL_PATH "${_top}" _top)
    file(REAL_PATH "${CMAKE_SOURCE_DIR}" _src)
  endif()
  if(_rc EQUAL 0 AND _top STREQUAL _src)
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${CMAKE_SOURCE_DIR} describe --tags --always --dirty --match "v[0-9]*"
                    OUTPUT_VARIABLE _describe RESULT_VARIABLE _rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    # A working tree with changes says so once, whichever form the rest takes.
    set(_dirty FALSE)
    if(_rc EQUAL 0 AND _describe MATCHES "-dirty$")
      set(_dirty TRUE)
      string(REGEX REPLACE "-dirty$" "" _describe "${_describe}")
    endif()
    if(_rc EQUAL 0 AND _describe MATCHES "^v([0-9][0-9A-Za-z.~]*)(-([0-9]+)-g([0-9a-f]+))?$")
      set(KMSDIAG_VERSION_STRING "${CMAKE_MATCH_1}")
      set(KMSDIAG_PACKAGE_VERSION "${CMAKE_MATCH_1}")
      if(CMAKE_MATCH_2)
        string(APPEND KMSDIAG_VERSION_STRING "-${CMAKE_MATCH_3}-g${CMAKE_MATCH_4}")
        string(APPEND KMSDIAG_PACKAGE_VERSION "+${CMAKE_MATCH_3}.g${CMAKE_MATCH_4}")
      endif()
    elseif(_rc EQUAL 0 AND _describe MATCHES "^([0-9a-f]+)$")
      # No release tag yet: the project version and the commit.
      set(KMSDIAG_VERSION_STRING "${PROJECT_VERSION}-g${CMAKE_MATCH_1}")
      set(KMSDIAG_PACKAGE_VERSION "${PROJECT_VERSION}+g${CMAKE_MATCH_1}")
    else()
      set(_dirty FALSE)  # git said something else: the project version stands as it is
    endif()
    if(_dirty)
      string(APPEND KMSDIAG_VERSION_STRING "-dirty")
      string(APPEND KMSDIAG_PACKAGE_VERSION ".dirty")
    endif()
    # Configure again when HEAD moves (a commit, a checkout), so a build never reports an older commit.
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${CMAKE_SOURCE_DIR} rev-parse --path-format=absolute
                            --git-path logs/HEAD
                    OUTPUT_VARIABLE _head_log RESULT_VARIABLE _rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(_rc EQUAL 0 AND EXISTS "${_head_log}")
      set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_head_log}")
    endif()
  endif()
endif()
message(STATUS "kmsdiag version ${KMSDIAG_VERSION_STRING} (package ${KMSDIAG_PACKAGE_VERSION})")
