# Writes OUT: a C++ source that returns the bundle's JSON Schemas (IN_FILES, '|'-separated),
# so the bundle generator ships them without reading files at run time.
set(BODY "")
string(REPLACE "|" ";" IN_FILES "${IN_FILES}")
foreach(F ${IN_FILES})
  file(READ ${F} TEXT)
  string(FIND "${TEXT}" ")NORMKIT_JSON\"" CLASH)
  if(NOT CLASH EQUAL -1)
    message(FATAL_ERROR "${F} contains the raw-string delimiter")
  endif()
  get_filename_component(NAME ${F} NAME)
  string(APPEND BODY "      {\"${NAME}\", R\"NORMKIT_JSON(${TEXT})NORMKIT_JSON\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from schema/bundle-*.schema.json by scripts/embed-bundle-schemas.cmake. Do not edit.\n"
     "#include \"generators/bundle/bundle.h\"\n"
     "namespace normkit::bundle {\n"
     "const std::vector<EmbeddedSchema>& embedded_schemas() {\n"
     "  static const std::vector<EmbeddedSchema> kSchemas = {\n"
     "${BODY}"
     "  };\n"
     "  return kSchemas;\n"
     "}\n"
     "}  // namespace normkit::bundle\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
