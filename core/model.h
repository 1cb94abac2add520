// The canonical document model: the one contract between parsers and generators.
//
// Parsers produce a Document; generators consume one. The canonical XML form (schema/normkit.rnc)
// is this model written out; core/xml_reader and core/xml_writer convert between the two.
//
// Model version: kModelVersion. Additive changes bump the minor number; anything else bumps the
// major number and the XML namespace.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace normkit {

inline constexpr std::string_view kModelVersion = "1.0";
inline constexpr std::string_view kNamespace = "urn:normkit:document:1";

// Deepest nesting of blocks and inlines the model accepts; readers report deeper input as an
// error instead of recursing without bound.
inline constexpr int kMaxDepth = 64;

// A place in a source file, 1-based; line 0 means "unknown".
struct SourceLoc {
  uint32_t line = 0;
  uint32_t col = 0;
};

// --- Vocabularies ---------------------------------------------------------------------------

// The force a normative keyword carries.
enum class Force : uint8_t {
  Mandatory,       // shall, must
  Prohibited,      // shall not, must not
  Recommended,     // should, is recommended
  NotRecommended,  // should not
  Permitted,       // may, is reasonable
  Optional,        // may be considered, can
  Informative,     // explanatory wording with no force
};

// What kind of publication a document is.
enum class DocType : uint8_t {
  StandardsAndGuidelines,
  ClinicalPracticeGuideline,
  Catalog,
  Protocol,
  Checklist,
  Other,
};

// What kind of normative statement a provision is.
enum class ProvisionKind : uint8_t {
  Standard,        // mandatory minimum (SHALL)
  Guideline,       // recommended practice (SHOULD)
  Recommendation,  // graded recommendation of a clinical practice guideline
  Essential,       // legacy AmSECT "Essential" statements
  Requirement,     // any other numbered requirement
};

enum class OrgRole : uint8_t { Author, CoAuthor, Endorser, Publisher };
enum class DateType : uint8_t { Published, Approved, Updated, Effective, Retrieved };
enum class CatalogKind : uint8_t {
  StandardsAndGuidelines,
  ClinicalPracticeGuideline,
  Protocol,
  PositionStatement,
  Other,
};
enum class FurnitureKind : uint8_t {
  Navigation, Header, Footer, Membership, Employment, Contact, Copyright, Advert, Form, Other,
};
enum class ListStyle : uint8_t { None, Bullet, Decimal, LowerAlpha, UpperAlpha, LowerRoman, UpperRoman };

// Names used in the XML form and in every generated output; to_string/parse are inverse.
std::string_view to_string(Force);
std::string_view to_string(DocType);
std::string_view to_string(ProvisionKind);
std::string_view to_string(OrgRole);
std::string_view to_string(DateType);
std::string_view to_string(CatalogKind);
std::string_view to_string(FurnitureKind);
std::string_view to_string(ListStyle);
std::optional<Force> parse_force(std::string_view);
std::optional<DocType> parse_doc_type(std::string_view);
std::optional<ProvisionKind> parse_provision_kind(std::string_view);
std::optional<OrgRole> parse_org_role(std::string_view);
std::optional<DateType> parse_date_type(std::string_view);
std::optional<CatalogKind> parse_catalog_kind(std::string_view);
std::optional<FurnitureKind> parse_furniture_kind(std::string_view);
std::optional<ListStyle> parse_list_style(std::string_view);

// Human display name of a provision kind ("Standard", "Guideline", "Recommendation", ...).
std::string_view display_name(ProvisionKind);

// Classes of recommendation (ACC/AHA) and levels of evidence, in canonical spelling.
// Class: I, IIa, IIb, III, III-no-benefit, III-harm. Level: A, B, C, B-R, B-NR, C-LD, C-EO.
bool is_valid_class(std::string_view);
bool is_valid_level(std::string_view);

// --- Tree nodes -----------------------------------------------------------------------------

enum class NodeType : uint8_t {
  // Blocks
  Section,    // titled, usually numbered section; children are blocks; `title` holds inlines
  Provision,  // standard / guideline / recommendation; children are blocks
  Paragraph,  // children are inlines
  List,       // children are ListItems
  ListItem,   // children are blocks (a lone Paragraph is written inline)
  Table,      // children are Rows; `title` holds the caption
  Row,        // children are Cells; `flag` = header row
  Cell,       // children are inlines
  Note,       // children are blocks; `text` = optional note kind
  Scope,      // children are blocks
  Furniture,  // children are blocks; `furniture` = kind. Not part of the document.
  // Inlines
  Text,       // `text` = characters
  Keyword,    // `text` = as written; `word` in ident-less field `target`; `force`
  TermRef,    // `target` = definition id; children are Text
  Emphasis,   // children are inlines
  Strong,     // children are inlines
  Link,       // `target` = href; children are inlines
  XRef,       // `target` = permanent id of a section, provision or definition
  LineBreak,  // no content
};

bool is_block(NodeType);
bool is_inline(NodeType);

// Identity and numbering of a section or provision (allocated only for those nodes).
struct Labeled {
  std::string id;           // permanent id: never changes once assigned, never reused
  std::string position_id;  // derived from numbering: "standard-1.1", "guideline-1.1"
  std::string label;        // display label: "Standard 1.1"
  std::string number;       // "1.1"; empty when unnumbered
  ProvisionKind kind = ProvisionKind::Standard;  // provisions only
  std::string cls;          // class of recommendation (recommendations only)
  std::string level;        // level of evidence (recommendations only)
  std::string grading;      // grading scheme of cls and level, e.g. "acc-aha-2015"
};

struct Node {
  NodeType type = NodeType::Paragraph;
  Force force = Force::Informative;  // Keyword
  FurnitureKind furniture = FurnitureKind::Other;  // Furniture
  ListStyle list_style = ListStyle::None;  // List
  bool flag = false;  // List: ordered; Row: header row
  SourceLoc loc;           // where the current reader found it (for diagnostics)
  uint32_t origin_line = 0;  // line in the original published source (XML: source-line)
  std::string text;    // Text: characters; Keyword: as written; Note: kind; ListItem: label
  std::string target;  // Keyword: word; TermRef: definition id; Link: href; XRef: target id
  std::unique_ptr<Labeled> labeled;  // Section and Provision
  std::vector<Node> title;           // Section / Provision title, Table caption (inlines)
  std::vector<Node> children;

  Node() = default;
  explicit Node(NodeType t) : type(t) {}
  Node(const Node&);
  Node& operator=(const Node&);
  Node(Node&&) noexcept = default;
  Node& operator=(Node&&) noexcept = default;
  // Out of line (core/model.cpp), so that destroying a vector of nodes is a loop of calls to it
  // with the empty-vector checks of a leaf inlined, instead of recursive calls of the vector's
  // destructor for every leaf's empty children and title.
  ~Node();

  // Convenience constructors.
  static Node make_text(std::string s);
  static Node make_keyword(std::string as_written, std::string word, Force f);
  static Node make_paragraph(std::vector<Node> inlines);
  static Node make_section(std::string number, std::string label);
  static Node make_provision(ProvisionKind kind, std::string number, std::string label);
};

// --- Document parts -------------------------------------------------------------------------

struct Organization {
  std::string name;
  std::string abbrev;
  OrgRole role = OrgRole::Author;
};

struct DateEntry {
  DateType type = DateType::Published;
  std::string value;  // YYYY, YYYY-MM or YYYY-MM-DD
};

struct SourceInfo {
  std::string file;    // base name of the file read (never a path outside the corpus)
  std::string format;  // reader name: "text", "html", "markdown", "xml", ...
  std::string sha256;  // of the bytes read
  std::string url;     // where it was published, when known
};

struct Meta {
  std::vector<Node> title;     // inlines
  std::vector<Node> subtitle;  // inlines
  std::vector<Organization> organizations;
  std::vector<DateEntry> dates;
  std::vector<SourceInfo> sources;
};

struct KeywordUsage {
  std::string word;  // lower-case: "shall", "shall not", "is recommended"
  Force force = Force::Informative;
  bool from_document = true;  // false: normkit's default list supplied it
  SourceLoc loc;
  uint32_t origin_line = 0;
  std::vector<Node> explanation;  // blocks
};

struct Definition {
  std::string id;
  std::string position_id;
  std::string label;
  std::string term;
  std::vector<std::string> alternates;
  std::string source;  // where the definition is taken from, when stated
  SourceLoc loc;
  uint32_t origin_line = 0;
  std::vector<Node> explanation;  // blocks
};

struct CatalogEntry {
  std::string id;
  CatalogKind kind = CatalogKind::Other;
  std::string year;
  std::string work;  // work id when the entry is a document normkit knows
  std::string href;
  SourceLoc loc;
  uint32_t origin_line = 0;
  std::vector<Node> title;  // inlines
  std::vector<Organization> organizations;
  std::vector<Node> endorsement;  // inlines; empty when none
};

struct Reference {
  std::string id;
  std::string href;
  SourceLoc loc;  // where the current reader found it (for diagnostics; not written)
  std::vector<Node> content;  // inlines
};

struct Document {
  std::string model_version{kModelVersion};
  std::string work;
  std::string edition;
  std::string lang = "en";
  DocType type = DocType::Other;
  Meta meta;
  std::vector<KeywordUsage> word_usage;
  std::vector<Definition> definitions;
  std::vector<Node> body;  // blocks
  std::vector<CatalogEntry> catalog;
  std::vector<Reference> references;
};

// --- Helpers --------------------------------------------------------------------------------

// The model's whitespace rule for inline content: adjacent Text nodes merge, every run of
// white space becomes one space (also inside em, strong, link, xref, term and keywords), and with
// `trim_ends` the container's first and last Text lose leading and trailing space; empty Text
// nodes go. Readers apply it to what they produce and the XML writer writes by it, so canonical
// XML reads back to the same model.
void normalize_inline_whitespace(std::vector<Node>& inlines, bool trim_ends = true);
// True when normalize_inline_whitespace(inlines, trim_ends) would change nothing (no copy made).
bool inline_whitespace_is_normal(const std::vector<Node>& inlines, bool trim_ends = true);
// True when the text of one Text or Keyword node breaks that rule by itself: it holds a tab, line
// feed or carriage return, or two spaces in a row. Eight bytes at a time.
bool has_collapsible_whitespace(std::string_view text);

// Concatenated text of inline nodes (keywords and terms as written), iteratively.
std::string plain_text(const std::vector<Node>& inlines);

// Visits every node of a forest depth-first in document order without recursion.
// The visitor gets (node, depth, parent-or-null) and returns false to skip the node's children.
template <class Visitor>
void walk(const std::vector<Node>& roots, Visitor&& visit);
// The same over a mutable forest; the visitor gets (node, depth). The visitor may change a
// node's fields but must not add or remove children of nodes already visited.
template <class Visitor>
void walk_mutable(std::vector<Node>& roots, Visitor&& visit);

// Counts of provisions per kind, definitions, etc., for summaries and tests.
struct DocumentStats {
  size_t sections = 0;
  size_t standards = 0;
  size_t guidelines = 0;
  size_t recommendations = 0;
  size_t other_provisions = 0;
  size_t definitions = 0;
  size_t keywords = 0;       // keyword marks in the text
  size_t term_mentions = 0;
  size_t furniture = 0;
};
// With `count_inline` false, keywords and term mentions are not counted (left 0) and inline
// content is not visited: the counts of structure only, for a recognizer that has not marked them.
DocumentStats compute_stats(const Document&, bool count_inline = true);

}  // namespace normkit

#include "core/model_walk.inl"
