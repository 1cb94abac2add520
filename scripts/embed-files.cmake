# Writes OUT: a C++ source defining normkit::site::embedded_site_assets() with the contents of
# FILES (a '|'-separated list of file names under DIR), so the binary needs no data directory.
string(REPLACE "|" ";" NAMES "${FILES}")
set(BODY "")
foreach(NAME IN LISTS NAMES)
  file(READ ${DIR}/${NAME} TEXT)
  string(FIND "${TEXT}" ")NKASSET\"" CLASH)
  if(NOT CLASH EQUAL -1)
    message(FATAL_ERROR "${NAME} contains the raw-string delimiter")
  endif()
  # Raw strings are limited in length by some compilers; split into 16 KB pieces.
  string(LENGTH "${TEXT}" LEN)
  set(PIECES "")
  set(POS 0)
  while(POS LESS LEN)
    string(SUBSTRING "${TEXT}" ${POS} 16000 PIECE)
    string(APPEND PIECES "R\"NKASSET(${PIECE})NKASSET\"\n")
    math(EXPR POS "${POS} + 16000")
  endwhile()
  if(PIECES STREQUAL "")
    set(PIECES "\"\"")
  endif()
  string(APPEND BODY "      {\"${NAME}\", std::string_view(\n${PIECES})},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from site/ by scripts/embed-files.cmake. Do not edit.\n"
     "#include \"generators/site/assets.h\"\n"
     "namespace normkit::site {\n"
     "const std::vector<std::pair<std::string_view, std::string_view>>& embedded_site_assets() {\n"
     "  static const std::vector<std::pair<std::string_view, std::string_view>> kAssets = {\n"
     "${BODY}"
     "  };\n"
     "  return kAssets;\n"
     "}\n"
     "}  // namespace normkit::site\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
