# What `cmake --install` puts beside the programs and plugins: the data of
# the main job, under share/textmill in the layout of the source tree, so
# the default config's relative paths (../corpus/sample,
# ../scripts/entities/defence_vi.lua, boilerplate) still work from
# share/textmill/config; and the man page and bash completion.
set(TEXTMILL_REL_DATA_DIR ${CMAKE_INSTALL_DATADIR}/textmill)

# config/: default.yaml, boilerplate/ (rule files) and gazetteers/.
install(DIRECTORY config/ DESTINATION ${TEXTMILL_REL_DATA_DIR}/config)
# The rule pack (scripts/entities), its rule tests and the shared rule
# library (scripts/lib); not the developer scripts beside them.
install(DIRECTORY scripts/entities scripts/lib DESTINATION ${TEXTMILL_REL_DATA_DIR}/scripts
  FILES_MATCHING PATTERN "*.lua" PATTERN "*.test.yaml")
# The bundled sample, the main job's input.
install(DIRECTORY corpus/sample DESTINATION ${TEXTMILL_REL_DATA_DIR}/corpus)

configure_file(packaging/textmill.1.in textmill.1 @ONLY)  # the version
install(FILES ${CMAKE_BINARY_DIR}/textmill.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# Where bash-completion loads completions on demand, by the command's name.
install(FILES packaging/textmill.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
  RENAME textmill)
