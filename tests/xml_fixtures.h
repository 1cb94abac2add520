// Small canonical documents for the XML, validation and CLI tests.
#pragma once

#include <string>

namespace normkit::test {

// A valid document whose <body> holds `body` and whose <word-usage> declares shall and should.
inline std::string doc_with_body(const std::string& body, const std::string& extra_before_body = "") {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<document xmlns="urn:normkit:document:1" model-version="1.0" work="t" edition="1" xml:lang="en" type="standards-and-guidelines">
  <meta>
    <title>T</title>
  </meta>
  <word-usage>
    <keyword word="shall" force="mandatory" origin="document"/>
    <keyword word="should" force="recommended" origin="document"/>
  </word-usage>
)" + extra_before_body +
         "  <body>\n" + body + "\n  </body>\n</document>\n";
}

// One provision with the given attributes and paragraph content.
inline std::string provision(const std::string& attrs, const std::string& content) {
  return "<provision " + attrs + "><p>" + content + "</p></provision>";
}

}  // namespace normkit::test
