# A Debian package of everything `cmake --install` ships, with CPack:
#   cpack --config build/CPackConfig.cmake -B DIR   ->  DIR/textmill_VERSION_ARCH.deb
# Installed under /usr, so the programs find their plugins and data as in
# any other prefix (relative to themselves).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME textmill)
set(CPACK_PACKAGE_VENDOR "textmill")
set(CPACK_PACKAGE_CONTACT "textmill developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "streams a text corpus through a pipeline of plugin stages")
set(CPACK_PACKAGE_DESCRIPTION "textmill reads a YAML pipeline, loads its stages from shared-object \
plugins and Lua scripts and streams a corpus through them. This package holds the program, the \
built-in plugins, the headers for plugin authors, and the main job: its config, the Vietnamese \
entity rule pack, gazetteers, boilerplate rules and a sample corpus, under /usr/share/textmill.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # textmill_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION text)
set(CPACK_STRIP_FILES ON)  # a build with debug information ships without it
# The runtime libraries the programs and plugins link (ldd, then dpkg -S);
# integration.install_deb checks this list against the built files.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "libc6, liblua5.4-0, libpcre2-8-0, libsqlite3-0, libutf8proc2, libyaml-0-2, zlib1g, libzstd1")
include(CPack)
