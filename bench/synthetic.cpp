#include "bench/synthetic.h"

#include <algorithm>
#include <vector>

#include "core/ids.h"

namespace normkit::bench {

namespace {

template <class T, size_t N>
const T& pick(Rng& rng, const T (&arr)[N]) { return arr[rng.below(N)]; }

const char* const kSubjects[] = {
    "The perfusionist", "Each program", "The institution", "The perfusion team",
    "The responsible surgeon", "The anesthesia provider", "The circuit", "The protocol",
    "The heart-lung machine", "The oxygenator", "Every checklist", "The quality program"};
const char* const kActions[] = {
    "document the activated clotting time", "verify the arterial line pressure",
    "record the nadir temperature", "monitor the venous oxygen saturation",
    "confirm heparin anticoagulation", "maintain the cardioplegia delivery log",
    "review the blood gas results", "check the bubble detector alarm",
    "calibrate the flow probe", "report adverse events", "inspect the circuit for air",
    "measure lactate at regular intervals", "audit the transfusion record",
    "train new staff on the pump", "label every line and cannula"};
const char* const kQualifiers[] = {
    "before initiating bypass", "at least every thirty minutes", "during rewarming",
    "according to the institutional protocol", "when the patient is cooled below 32 °C",
    "after each change of the oxygenator", "at the end of every procedure",
    "whenever the flow rate changes by more than 20%", "in the electronic record",
    "with a second qualified person"};
const char* const kTopics[] = {
    "Protocols", "Equipment", "Monitoring", "Anticoagulation", "Blood Management",
    "Temperature", "Documentation", "Quality Assurance", "Education", "Safety Devices",
    "Cardioplegia", "Weaning"};
const char* const kClasses[] = {"I", "IIa", "IIb", "III-no-benefit", "III-harm"};
const char* const kLevels[] = {"A", "B-R", "B-NR", "C-LD", "C-EO"};
const char* const kClassWords[] = {"is recommended", "is reasonable", "may be considered",
                                   "is not recommended", "is not recommended"};
const Force kClassForces[] = {Force::Recommended, Force::Permitted, Force::Optional,
                              Force::NotRecommended, Force::NotRecommended};

std::vector<Node> sentence(Rng& rng, const std::string& verb, const std::string& word, Force force) {
  std::vector<Node> v;
  v.push_back(Node::make_text(std::string(pick(rng, kSubjects)) + " "));
  v.push_back(Node::make_keyword(verb, word, force));
  v.push_back(Node::make_text(" " + std::string(pick(rng, kActions)) + " " + pick(rng, kQualifiers) + "."));
  return v;
}

void add_usage(Document& doc, const std::string& word, Force force) {
  KeywordUsage k;
  k.word = word;
  k.force = force;
  k.from_document = false;
  doc.word_usage.push_back(std::move(k));
}

}  // namespace

uint64_t Rng::next() {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

Document make_document(Rng& rng, size_t index, size_t provisions) {
  Document doc;
  const bool cpg = index % 2 == 1;
  doc.work = std::string(cpg ? "synthetic-cpg-" : "synthetic-standards-") + std::to_string(index);
  doc.edition = std::to_string(2000 + rng.below(25));
  doc.type = cpg ? DocType::ClinicalPracticeGuideline : DocType::StandardsAndGuidelines;
  doc.meta.title.push_back(Node::make_text(
      std::string(cpg ? "Synthetic Clinical Practice Guideline " : "Synthetic Standards and Guidelines ") +
      std::to_string(index) + ": " + pick(rng, kTopics)));
  doc.meta.organizations.push_back({"Synthetic Society of Perfusion", "SSP", OrgRole::Author});
  doc.meta.dates.push_back({DateType::Published, doc.edition});

  Definition def;
  def.term = "Perfusion Team";
  def.alternates = {"perfusion teams"};
  def.explanation.push_back(Node::make_paragraph({Node::make_text("Everyone who runs a bypass procedure.")}));
  doc.definitions.push_back(std::move(def));

  if (cpg) {
    for (size_t i = 0; i < 5; ++i) add_usage(doc, kClassWords[i], kClassForces[i]);
    doc.word_usage.erase(doc.word_usage.begin() + 4);  // "is not recommended" once
  } else {
    add_usage(doc, "shall", Force::Mandatory);
    add_usage(doc, "should", Force::Recommended);
  }

  size_t made = 0;
  for (size_t topic = 1; made < provisions; ++topic) {
    Node section = Node::make_section(std::to_string(topic), cpg ? "" : "Standard " + std::to_string(topic));
    section.title.push_back(Node::make_text(pick(rng, kTopics)));
    const size_t in_topic = std::min(provisions - made, 2 + rng.below(6));
    size_t standards = 0, guidelines = 0;
    for (size_t k = 0; k < in_topic; ++k, ++made) {
      if (cpg) {
        const size_t c = rng.below(5);
        Node p = Node::make_provision(ProvisionKind::Recommendation, std::to_string(made + 1), "");
        p.labeled->cls = kClasses[c];
        p.labeled->level = kLevels[rng.below(5)];
        p.labeled->grading = "acc-aha-2015";
        std::vector<Node> text;
        text.push_back(Node::make_text("To " + std::string(pick(rng, kActions)) + " " + pick(rng, kQualifiers) + " "));
        text.push_back(Node::make_keyword(kClassWords[c], kClassWords[c], kClassForces[c]));
        text.push_back(Node::make_text("."));
        p.children.push_back(Node::make_paragraph(std::move(text)));
        section.children.push_back(std::move(p));
      } else {
        const bool standard = k == 0 || rng.below(3) != 0;
        const std::string number = std::to_string(topic) + "." + std::to_string(standard ? ++standards : ++guidelines);
        Node p = Node::make_provision(standard ? ProvisionKind::Standard : ProvisionKind::Guideline, number, "");
        p.children.push_back(Node::make_paragraph(
            standard ? sentence(rng, "shall", "shall", Force::Mandatory)
                     : sentence(rng, "should", "should", Force::Recommended)));
        if (rng.below(6) == 0) {
          Node list(NodeType::List);
          list.list_style = ListStyle::Bullet;
          for (int i = 0; i < 3; ++i) {
            Node item(NodeType::ListItem);
            item.children.push_back(Node::make_paragraph({Node::make_text(std::string(pick(rng, kActions)) + ";")}));
            list.children.push_back(std::move(item));
          }
          p.children.push_back(std::move(list));
        }
        section.children.push_back(std::move(p));
      }
    }
    doc.body.push_back(std::move(section));
  }
  assign_identity(doc);
  return doc;
}

// The layout of published text: what ingest benchmarks read.
std::string render_text(const Document& doc) {
  std::string out = plain_text(doc.meta.title) + "\n\n";
  out += "Definitions\n\n";
  for (const Definition& d : doc.definitions)
    out += d.term + ": " + plain_text(d.explanation[0].children) + "\n\n";
  if (doc.type == DocType::StandardsAndGuidelines)
    out += "Word Usage:\n\nShall: In this document, the word shall is used to indicate a mandatory requirement.\n\n"
           "Should: In this document, the word should is used to indicate a recommendation.\n\n";
  for (const Node& section : doc.body) {
    const Labeled& s = *section.labeled;
    if (doc.type == DocType::StandardsAndGuidelines)
      out += "Standard " + s.number + ": " + plain_text(section.title) + "\n\n";
    else
      out += plain_text(section.title) + "\n\n";
    for (const Node& p : section.children) {
      const Labeled& l = *p.labeled;
      if (l.kind == ProvisionKind::Recommendation) {
        out += l.number + ". " + plain_text(p.children[0].children) + " (Class " + l.cls + ", Level " + l.level + ")\n\n";
        continue;
      }
      out += std::string(display_name(l.kind)) + " " + l.number + ": " + plain_text(p.children[0].children) + "\n";
      if (p.children.size() > 1)
        for (const Node& item : p.children[1].children) out += "  \xE2\x80\xA2 " + plain_text(item.children[0].children) + "\n";
      out += "\n";
    }
  }
  return out;
}


}  // namespace normkit::bench
