#include <catch2/catch.hpp>

#include <chrono>

#include "core/ids.h"
#include "core/io.h"
#include "core/text.h"
#include "core/xml_reader.h"
#include "core/xml_writer.h"
#include "test_support.h"
#include "xml_fixtures.h"

using namespace normkit;
using normkit::test::doc_with_body;

namespace {

std::optional<Document> read(const std::string& xml, Diagnostics& diags) {
  diags.set_file("t.xml");
  return read_canonical_xml(xml, diags);
}

// The first error's code, or "" when there is none.
std::string first_error(const Diagnostics& diags) {
  for (const Diagnostic& d : diags.all())
    if (d.severity == Severity::Error) return d.code;
  return "";
}

}  // namespace

TEST_CASE("every sample corpus document is canonical: fmt changes nothing", "[xml]") {
  Diagnostics diags;
  const auto files = collect_files({test::repo_path("corpus").string()}, {".xml"}, diags);
  REQUIRE(files.size() >= 3);
  for (const auto& f : files) {
    INFO(f.string());
    const std::string bytes = test::slurp(f);
    std::optional<Document> doc = read(bytes, diags);
    REQUIRE(doc);
    assign_identity(*doc);
    CHECK(write_canonical_xml(*doc) == bytes);
  }
  CHECK_FALSE(diags.has_errors());
}

TEST_CASE("the canonical writer is idempotent on messy input", "[xml]") {
  const std::string messy =
      "<?xml version='1.0'?>\r\n<document type=\"other\" edition=\"1\" work=\"t\" xml:lang=\"en\" model-version=\"1.0\" "
      "xmlns=\"urn:normkit:document:1\"><meta><title>  A\n   title </title></meta><body>"
      "<p>one\n\n   two <em> three </em>\tfour</p><list ordered=\"false\"><item>x</item><item><p>y</p><list ordered=\"true\"><item>z</item></list></item></list>"
      "</body></document>";
  Diagnostics diags;
  std::optional<Document> doc = read(messy, diags);
  REQUIRE(doc);
  const std::string once = write_canonical_xml(*doc);
  std::optional<Document> doc2 = read(once, diags);
  REQUIRE(doc2);
  CHECK(write_canonical_xml(*doc2) == once);
  CHECK(once.find("<title>A title</title>") != std::string::npos);
  CHECK(once.find("<p>one two <em> three </em> four</p>") != std::string::npos);
  CHECK(once.find("<item>x</item>") != std::string::npos);
  CHECK(once.find('\r') == std::string::npos);
  CHECK(once.back() == '\n');
  // Attributes come out in schema order whatever order they came in.
  CHECK(once.find(R"(<document xmlns="urn:normkit:document:1" model-version="1.0" work="t" edition="1" xml:lang="en" type="other">)") !=
        std::string::npos);
}

TEST_CASE("the writer normalizes text to NFC and escapes markup", "[xml]") {
  Document doc;
  doc.work = "t";
  doc.edition = "1";
  doc.meta.title.push_back(Node::make_text("Cafe\xCC\x81 <b> & \"q\""));  // e + combining acute
  Node link(NodeType::Link);
  link.target = "https://x.example/?a=1&b=\"2\"";
  link.children.push_back(Node::make_text("l"));
  doc.body.push_back(Node::make_paragraph({Node::make_text("ctl\x01"), std::move(link)}));
  const std::string xml = write_canonical_xml(doc);
  CHECK(xml.find("<title>Caf\xC3\xA9 &lt;b&gt; &amp; \"q\"</title>") != std::string::npos);
  CHECK(xml.find("href=\"https://x.example/?a=1&amp;b=&quot;2&quot;\"") != std::string::npos);
  CHECK(xml.find("ctl\xEF\xBF\xBD") != std::string::npos);  // a control character becomes U+FFFD
  Diagnostics diags;
  CHECK(read(xml, diags));
}

TEST_CASE("long texts and attributes full of escapes read back as written", "[xml]") {
  // The writer escapes in steps of a few kilobytes; make every kind of escape and multi-byte
  // character fall on and around step boundaries, in text and in attribute values.
  const std::vector<std::string> pieces = {"a", "&", "<", ">", "\"", "'", "\xC3\xA9", "\xE2\x80\x94",
                                           "\xF0\x9F\x98\x80", " ", "z"};
  std::string text;
  for (size_t i = 0; text.size() < 20000; ++i) text += pieces[(i * 7 + i / 5) % pieces.size()];
  Document doc;
  doc.work = "t";
  doc.edition = "1";
  doc.meta.title.push_back(Node::make_text("T"));
  Node link(NodeType::Link);
  link.target = "https://x.example/?q=" + text.substr(0, 9000);
  link.children.push_back(Node::make_text(text));
  doc.body.push_back(Node::make_paragraph({Node::make_text(text), std::move(link)}));
  const std::string xml = write_canonical_xml(doc);
  Diagnostics diags;
  std::optional<Document> back = read(xml, diags);
  REQUIRE(back);
  REQUIRE(back->body.size() == 1);
  const std::vector<Node>& inlines = back->body[0].children;
  REQUIRE(inlines.size() == 2);
  CHECK(inlines[0].text == text);
  CHECK(inlines[1].target == "https://x.example/?q=" + text.substr(0, 9000));
  CHECK(plain_text(inlines[1].children) == text);
  CHECK(write_canonical_xml(*back) == xml);
}

TEST_CASE("text and attribute values of every length come out as a normalized copy would", "[xml]") {
  // The writer copies plain values eight or sixteen bytes at a time and writes inline content
  // as it stands while checking its white space; the special byte (or the white space that needs
  // normalizing) is put at every position of values of every length up to 40 bytes, so that it
  // falls in the short path, in a full step, in the overlapping last step and on the last byte.
  const std::vector<std::string> specials = {"&", "<", ">", "\"", "\t", "\n", "\r", "  ", "\x01",
                                             "e\xCC\x81", "\xC3\xA9", " "};
  size_t cases = 0;
  for (size_t length = 1; length <= 40; ++length) {
    for (const std::string& special : specials) {
      for (size_t at = 0; at < length; ++at) {
        std::string value(length, 'x');
        value.replace(at, 1, special);
        Document doc;
        doc.work = "t";
        doc.edition = "1";
        doc.meta.title.push_back(Node::make_text("T"));
        Node strong(NodeType::Strong);
        strong.children.push_back(Node::make_text(value));
        Node provision = Node::make_provision(ProvisionKind::Standard, "1", value);
        provision.labeled->id = "nk0000000000";
        provision.labeled->position_id = "standard-1";
        provision.children.push_back(Node::make_paragraph({Node::make_text(value), std::move(strong)}));
        doc.body.push_back(std::move(provision));

        Document normalized_doc;
        normalized_doc.work = doc.work;
        normalized_doc.edition = doc.edition;
        normalized_doc.meta.title = doc.meta.title;
        normalized_doc.body.push_back(doc.body[0]);
        std::vector<Node>& inlines = normalized_doc.body[0].children[0].children;
        normalize_inline_whitespace(inlines);
        INFO("length " << length << ", special byte(s) " << special.size() << " at " << at);
        const std::string xml = write_canonical_xml(doc);
        CHECK(xml == write_canonical_xml(normalized_doc));
        // What the writer gives reads back as the normalized model.
        Diagnostics diags;
        std::optional<Document> back = read(xml, diags);
        REQUIRE(back);
        // XML has no U+0001: the writer puts U+FFFD in its place.
        const auto as_xml = [](std::string s) {
          for (size_t k; (k = s.find('\x01')) != std::string::npos;) s.replace(k, 1, "\xEF\xBF\xBD");
          return nfc(s);
        };
        CHECK(back->body[0].labeled->label == as_xml(value));
        CHECK(plain_text(back->body[0].children[0].children) == as_xml(plain_text(inlines)));
        ++cases;
      }
    }
  }
  CHECK(cases == specials.size() * 40 * 41 / 2);
}

TEST_CASE("every byte value at every position of values up to 40 bytes is written as the escaper would", "[xml]") {
  // The writer tests short values with two overlapping loads into one vector and longer ones
  // sixteen bytes at a time, and copies the plain ones from the same registers. The reference is
  // the general path: append_xml_attr / append_xml_text of the NFC form, one byte at a time.
  const auto between = [](const std::string& xml, const std::string& open, const std::string& close) {
    const size_t start = xml.find(open);
    if (start == std::string::npos) return std::string("<missing>");
    const size_t end = xml.find(close, start + open.size());
    return xml.substr(start + open.size(), end - start - open.size());
  };
  size_t cases = 0;
  for (int byte = 0; byte < 256; ++byte) {
    const bool white = byte == ' ' || byte == '\t' || byte == '\n' || byte == '\r';
    for (size_t length = 1; length <= 40; ++length) {
      for (size_t at = 0; at < length; ++at) {
        std::string value(length, 'x');
        value[at] = static_cast<char>(byte);
        Document doc;
        doc.work = "t";
        doc.edition = "1";
        Node provision = Node::make_provision(ProvisionKind::Standard, "1", value);
        provision.labeled->id = "nk0000000000";
        provision.labeled->position_id = "standard-1";
        // White space in text is normalized first; the other test covers it.
        if (!white) provision.children.push_back(Node::make_paragraph({Node::make_text(value)}));
        // A keyword's word is an attribute too, written with the end of its tag in one go.
        const Force force = static_cast<Force>((at + length) % 7);
        provision.children.push_back(Node::make_paragraph({Node::make_keyword("kw", value, force)}));
        doc.body.push_back(std::move(provision));
        const std::string xml = write_canonical_xml(doc);

        OutBuffer attr, text;
        append_xml_attr(attr, nfc(value));
        append_xml_text(text, nfc(value));
        INFO("byte " << byte << " at " << at << " of " << length);
        const std::string attr_text = attr.take();
        CHECK(between(xml, " label=\"", "\"") == attr_text);
        CHECK(between(xml, "<kw word=\"", "</kw>") ==
              attr_text + "\" force=\"" + std::string(to_string(force)) + "\">kw");
        if (!white) CHECK(between(xml, "<p>", "</p>") == text.take());
        ++cases;
      }
    }
  }
  CHECK(cases == 256 * 40 * 41 / 2);
}

TEST_CASE("nested sections are indented two spaces a level at every depth", "[xml]") {
  // The writer writes indents sixteen bytes at a time; depths around and past multiples of eight
  // levels, up to what the model allows.
  for (int depth : {1, 7, 8, 9, 15, 16, 17, 40, kMaxDepth - 2}) {
    Document doc;
    doc.work = "t";
    doc.edition = "1";
    doc.meta.title.push_back(Node::make_text("T"));
    Node innermost = Node::make_section(std::to_string(depth), "");
    innermost.title.push_back(Node::make_text("T" + std::to_string(depth)));
    innermost.children.push_back(Node::make_paragraph({Node::make_text("text")}));
    for (int level = depth - 1; level >= 1; --level) {
      Node outer = Node::make_section(std::to_string(level), "");
      outer.title.push_back(Node::make_text("T" + std::to_string(level)));
      outer.children.push_back(std::move(innermost));
      innermost = std::move(outer);
    }
    doc.body.push_back(std::move(innermost));
    assign_identity(doc);
    const std::string xml = write_canonical_xml(doc);
    INFO("depth " << depth);
    // <document> at 0, <body> at 1, the section of level k at k + 1, its title at k + 2.
    for (int level = 1; level <= depth; ++level) {
      const std::string section_indent(static_cast<size_t>(2 * (level + 1)), ' ');
      const std::string title_indent(static_cast<size_t>(2 * (level + 2)), ' ');
      CHECK(xml.find("\n" + title_indent + "<title>T" + std::to_string(level) + "</title>\n") != std::string::npos);
      CHECK(xml.find("\n" + section_indent + "<section id=") != std::string::npos);
      CHECK(xml.find("\n" + section_indent + "</section>\n") != std::string::npos);
    }
    CHECK(xml.find("\n" + std::string(static_cast<size_t>(2 * (depth + 2)), ' ') + "<p>text</p>\n") != std::string::npos);
    Diagnostics diags;
    std::optional<Document> back = read(xml, diags);
    REQUIRE(back);
    CHECK(write_canonical_xml(*back) == xml);
  }
}

TEST_CASE("model -> XML -> model keeps every field", "[xml]") {
  Diagnostics diags;
  const std::string bytes = test::slurp(test::repo_path("corpus/sample-temperature-cpg/2015.xml"));
  std::optional<Document> doc = read(bytes, diags);
  REQUIRE(doc);
  CHECK(doc->type == DocType::ClinicalPracticeGuideline);
  CHECK(doc->meta.organizations.size() == 3);
  CHECK(doc->meta.organizations[1].role == OrgRole::CoAuthor);
  CHECK(doc->meta.dates.size() == 2);
  CHECK(doc->word_usage.size() == 4);
  CHECK_FALSE(doc->word_usage[0].from_document);
  const DocumentStats st = compute_stats(*doc);
  CHECK(st.recommendations == 6);
  std::vector<std::string> grades;
  walk(doc->body, [&](const Node& n, int, const Node*) {
    if (n.type == NodeType::Provision) grades.push_back(n.labeled->cls + "/" + n.labeled->level);
    return true;
  });
  CHECK(grades == std::vector<std::string>{"I/C", "I/B-NR", "IIa/B-R", "IIb/C-LD", "III-harm/A", "III-no-benefit/C-EO"});
}

TEST_CASE("malformed XML is reported at the right line and column", "[xml][bad-input]") {
  Diagnostics diags;
  const std::string xml = doc_with_body("    <p>open <em>never closed</p>");
  CHECK_FALSE(read(xml, diags));
  REQUIRE(diags.has_errors());
  const Diagnostic& d = diags.all()[0];
  CHECK(d.code == "xml-syntax");
  CHECK(d.file == "t.xml");
  CHECK(d.loc.line == 11);
  CHECK(d.loc.col == 31);  // the name in the mismatched end tag </p>
  CHECK(d.source_line == "    <p>open <em>never closed</p>");
}

TEST_CASE("wrong namespace, root or model version is refused", "[xml][bad-input]") {
  std::string xml = doc_with_body("");
  SECTION("namespace") {
    const size_t at = xml.find("urn:normkit:document:1");
    xml.replace(at, 22, "urn:other:1");
    Diagnostics diags;
    CHECK_FALSE(read(xml, diags));
    CHECK(first_error(diags) == "wrong-namespace");
  }
  SECTION("no namespace") {
    const size_t at = xml.find(" xmlns=\"urn:normkit:document:1\"");
    xml.erase(at, 31);
    Diagnostics diags;
    CHECK_FALSE(read(xml, diags));
    CHECK(first_error(diags) == "wrong-namespace");
  }
  SECTION("newer minor version") {
    xml.replace(xml.find("model-version=\"1.0\""), 19, "model-version=\"1.7\"");
    Diagnostics diags;
    CHECK_FALSE(read(xml, diags));
    CHECK(first_error(diags) == "model-version");
    CHECK(diags.all()[0].message.find("newer") != std::string::npos);
  }
  SECTION("other major version") {
    xml.replace(xml.find("model-version=\"1.0\""), 19, "model-version=\"2.0\"");
    Diagnostics diags;
    CHECK_FALSE(read(xml, diags));
    CHECK(first_error(diags) == "model-version");
  }
  SECTION("root element") {
    Diagnostics diags;
    CHECK_FALSE(read("<html xmlns=\"urn:normkit:document:1\"/>", diags));
    CHECK(first_error(diags) == "wrong-root");
  }
}

TEST_CASE("a DOCTYPE with an external entity is refused and nothing is read", "[xml][bad-input][security]") {
  test::TempDir tmp;
  const auto secret = tmp / "secret.txt";
  test::spit(secret, "TOP-SECRET-CONTENT");
  const std::string xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE document [\n  <!ENTITY xxe SYSTEM \"file://" +
                          secret.string() + "\">\n]>\n" +
                          doc_with_body("<p>&xxe;</p>").substr(std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n").size());
  Diagnostics diags;
  CHECK_FALSE(read(xml, diags));
  REQUIRE(diags.has_errors());
  CHECK(diags.all()[0].code == "doctype");
  CHECK(diags.all()[0].loc.line == 2);
  for (const Diagnostic& d : diags.all()) CHECK(d.message.find("TOP-SECRET") == std::string::npos);
  // The same through the CLI: exit 1, the secret never appears.
  const auto file = tmp / "xxe.xml";
  test::spit(file, xml);
  auto r = test::run({"validate", file.string()});
  CHECK(r.code == 1);
  CHECK(r.err.find("[doctype]") != std::string::npos);
  CHECK(r.err.find("TOP-SECRET") == std::string::npos);
  auto f = test::run({"fmt", file.string()});
  CHECK(f.code == 1);
  CHECK(test::slurp(file) == xml);  // left untouched
}

TEST_CASE("a billion-laughs entity bomb is refused without expansion", "[xml][bad-input][security]") {
  std::string bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    bomb += " <!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) bomb += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    bomb += "\">\n";
  }
  bomb += "]>\n<document xmlns=\"urn:normkit:document:1\">&lol9;</document>\n";
  Diagnostics diags;
  CHECK_FALSE(read(bomb, diags));
  CHECK(first_error(diags) == "doctype");
}

TEST_CASE("undefined entity references are errors, not silent text", "[xml][bad-input]") {
  Diagnostics diags;
  CHECK_FALSE(read(doc_with_body("    <p>a &nbsp; b</p>"), diags));
  REQUIRE(diags.has_errors());
  CHECK(diags.all()[0].code == "undefined-entity");
  CHECK(diags.all()[0].loc.line == 11);
  CHECK(diags.all()[0].loc.col == 10);  // the '&' after "    <p>a "
  Diagnostics ok;
  CHECK(read(doc_with_body("    <p>&amp; &lt; &#233; &#xE9; <!-- & --> <![CDATA[ & ]]></p>"), ok));
}

TEST_CASE("encodings other than UTF-8 are refused with a position", "[xml][bad-input]") {
  SECTION("invalid UTF-8") {
    std::string xml = doc_with_body("    <p>caf\xE9</p>");
    Diagnostics diags;
    CHECK_FALSE(read(xml, diags));
    REQUIRE(diags.has_errors());
    CHECK(diags.all()[0].code == "invalid-utf8");
    CHECK(diags.all()[0].loc.line == 11);
    CHECK(diags.all()[0].loc.col == 11);  // "    <p>caf" is ten characters
    CHECK(diags.all()[0].message.find("0xE9") != std::string::npos);
  }
  SECTION("UTF-16 with BOM") {
    std::string xml = "\xFF\xFE";
    for (char c : doc_with_body("")) {
      xml += c;
      xml += '\0';
    }
    Diagnostics diags;
    CHECK_FALSE(read(xml, diags));
    CHECK(first_error(diags) == "encoding");
    CHECK(diags.all()[0].message.find("UTF-16LE") != std::string::npos);
  }
  SECTION("UTF-16 without BOM") {
    std::string xml;
    for (char c : doc_with_body("")) {
      xml += '\0';
      xml += c;
    }
    Diagnostics diags;
    CHECK_FALSE(read(xml, diags));
    CHECK(first_error(diags) == "encoding");
  }
  SECTION("NUL byte") {
    std::string xml = doc_with_body("    <p>a</p>");
    xml[xml.find("<p>a") + 3] = '\0';
    Diagnostics diags;
    CHECK_FALSE(read(xml, diags));
    CHECK(first_error(diags) == "nul-byte");
  }
  SECTION("UTF-8 BOM is tolerated but not canonical") {
    const std::string xml = "\xEF\xBB\xBF" + doc_with_body("");
    Diagnostics diags;
    std::optional<Document> doc = read(xml, diags);
    REQUIRE(doc);
    CHECK(write_canonical_xml(*doc).rfind("<?xml", 0) == 0);
  }
}

TEST_CASE("empty and blank files are refused", "[xml][bad-input]") {
  for (const std::string& input : {std::string(), std::string("  \n\t\n")}) {
    Diagnostics diags;
    CHECK_FALSE(read(input, diags));
    CHECK(first_error(diags) == "empty-file");
  }
}

TEST_CASE("a 200 MB file of one line gets one short diagnostic, quickly", "[xml][bad-input][slow]") {
  std::string huge(200u << 20, 'a');
  huge.replace(0, 5, "<doc>");
  Diagnostics diags;
  CHECK_FALSE(read(huge, diags));
  REQUIRE(diags.has_errors());
  const Diagnostic& d = diags.all()[0];
  CHECK(d.code == "xml-syntax");
  CHECK(d.loc.line == 1);
  CHECK(d.source_line.size() < 120);  // clipped around the error, never 200 MB
  CHECK(format_text(d).size() < 400);
}

TEST_CASE("unknown elements and attributes are errors, so nothing is dropped silently", "[xml][bad-input]") {
  SECTION("element") {
    Diagnostics diags;
    CHECK_FALSE(read(doc_with_body("    <p>a <blink>b</blink></p>"), diags));
    CHECK(first_error(diags) == "unexpected-element");
    CHECK(diags.all()[0].loc.line == 11);
  }
  SECTION("attribute") {
    Diagnostics diags;
    CHECK_FALSE(read(doc_with_body("    <p onclick=\"x()\">a</p>"), diags));
    CHECK(first_error(diags) == "unknown-attribute");
  }
  SECTION("text between blocks") {
    Diagnostics diags;
    CHECK_FALSE(read(doc_with_body("    loose text <p>a</p>"), diags));
    CHECK(first_error(diags) == "unexpected-text");
  }
  SECTION("prefixed element from another namespace") {
    Diagnostics diags;
    CHECK_FALSE(read(doc_with_body("    <x:p xmlns:x=\"urn:x\">a</x:p>"), diags));
    CHECK(first_error(diags) == "unexpected-element");
  }
  SECTION("comments are kept out of the model with a warning") {
    Diagnostics diags;
    CHECK(read(doc_with_body("    <!-- editor's note --><p>a</p>"), diags));
    REQUIRE(diags.all().size() == 1);
    CHECK(diags.all()[0].severity == Severity::Warning);
    CHECK(diags.all()[0].code == "comment-dropped");
  }
}

TEST_CASE("nesting deeper than the model allows is an error, not a crash", "[xml][bad-input]") {
  for (int depth : {100, 100000}) {
    std::string body;
    for (int i = 0; i < depth; ++i) body += "<note>";
    body += "<p>deep</p>";
    for (int i = 0; i < depth; ++i) body += "</note>";
    Diagnostics diags;
    CHECK_FALSE(read(doc_with_body(body), diags));
    CHECK(first_error(diags) == "too-deep");
    CHECK(diags.count(Severity::Error) == 1);
  }
  std::string inl;
  for (int i = 0; i < 1000; ++i) inl += "<em>";
  for (int i = 0; i < 1000; ++i) inl += "</em>";
  Diagnostics diags;
  CHECK_FALSE(read(doc_with_body("<p>" + inl + "</p>"), diags));
  CHECK(first_error(diags) == "too-deep");
}
