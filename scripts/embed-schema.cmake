# Writes OUT: a C++ source that returns the text of IN (the RELAX NG schema).
file(READ ${IN} SCHEMA_TEXT)
string(FIND "${SCHEMA_TEXT}" ")NORMKIT_SCHEMA\"" CLASH)
if(NOT CLASH EQUAL -1)
  message(FATAL_ERROR "schema contains the raw-string delimiter")
endif()
file(WRITE ${OUT}.tmp "// Generated from schema/normkit.rng by scripts/embed-schema.cmake. Do not edit.\n"
     "#include \"core/validate.h\"\n"
     "namespace normkit {\n"
     "std::string_view embedded_schema() {\n"
     "  static constexpr std::string_view kSchema = R\"NORMKIT_SCHEMA(${SCHEMA_TEXT})NORMKIT_SCHEMA\";\n"
     "  return kSchema;\n"
     "}\n"
     "}  // namespace normkit\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
