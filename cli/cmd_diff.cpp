// normkit diff OLD.xml NEW.xml: what changed between two editions of a work.
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "core/editions.h"
#include "core/io.h"
#include "core/validate.h"

namespace normkit::cli {

namespace {

std::optional<Document> load(const std::string& path, Diagnostics& diags) {
  diags.set_file(path);
  std::optional<std::string> bytes = read_file(path, diags);
  if (!bytes) return std::nullopt;
  return read_and_check_document(*bytes, diags);
}

}  // namespace

int run_diff(const ParsedArgs& args, Context& ctx) {
  if (args.positional.size() != 2) {
    ctx.err << "normkit diff: error: usage: normkit diff OLD.xml NEW.xml\n";
    return kExitUsage;
  }
  Diagnostics diags;
  std::optional<Document> old_doc = load(args.positional[0], diags);
  std::optional<Document> new_doc = load(args.positional[1], diags);
  if (!old_doc || !new_doc) {
    report(diags, ctx);
    return exit_code_for(diags);
  }
  if (old_doc->work != new_doc->work) {
    diags.set_file(args.positional[1]);
    diags.warning("different-work", "comparing different works: '" + old_doc->work + "' and '" + new_doc->work + "'");
  }
  const std::vector<Change> changes = diff_editions(*old_doc, *new_doc);
  const bool all = args.has("--all");
  size_t counts[5] = {};
  for (const Change& c : changes) ++counts[static_cast<int>(c.kind)];
  const bool differs = changes.size() != counts[static_cast<int>(ChangeKind::Unchanged)];

  if (ctx.format == OutputFormat::Json) {
    nlohmann::ordered_json out;
    out["old"] = {{"work", old_doc->work}, {"edition", old_doc->edition}};
    out["new"] = {{"work", new_doc->work}, {"edition", new_doc->edition}};
    out["changes"] = nlohmann::ordered_json::array();
    for (const Change& c : changes) {
      if (c.kind == ChangeKind::Unchanged && !all) continue;
      nlohmann::ordered_json j;
      j["change"] = std::string(to_string(c.kind));
      j["node"] = c.node;
      j["id"] = c.id;
      for (auto [key, value] : {std::pair{"old_label", &c.old_label}, {"new_label", &c.new_label},
                                {"old_position_id", &c.old_position_id}, {"new_position_id", &c.new_position_id},
                                {"old_text", &c.old_text}, {"new_text", &c.new_text},
                                {"old_grade", &c.old_grade}, {"new_grade", &c.new_grade}})
        if (!value->empty()) j[key] = *value;
      out["changes"].push_back(std::move(j));
    }
    out["diagnostics"] = nlohmann::ordered_json::parse(format_json(diags.all()));
    ctx.out << out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
    const int rc = exit_code_for(diags);
    if (rc != kExitOk) return rc;
    return args.has("--exit-code") && differs ? kExitFindings : kExitOk;
  } else {
    ctx.out << old_doc->work << " " << old_doc->edition << " -> " << new_doc->work << " " << new_doc->edition << ": "
            << counts[static_cast<int>(ChangeKind::Changed)] << " changed, "
            << counts[static_cast<int>(ChangeKind::Added)] << " added, "
            << counts[static_cast<int>(ChangeKind::Removed)] << " removed, "
            << counts[static_cast<int>(ChangeKind::Renumbered)] << " renumbered, "
            << counts[static_cast<int>(ChangeKind::Unchanged)] << " unchanged\n";
    for (const Change& c : changes) {
      if (c.kind == ChangeKind::Unchanged && !all) continue;
      std::string head(to_string(c.kind));
      head.resize(11, ' ');
      const std::string& label = c.kind == ChangeKind::Removed ? c.old_label : c.new_label;
      ctx.out << head << label;
      if ((c.kind == ChangeKind::Changed || c.kind == ChangeKind::Renumbered) && c.old_label != c.new_label)
        ctx.out << " (was " << c.old_label << ")";
      ctx.out << "  #" << c.id << "\n";
      if (c.old_grade != c.new_grade && c.kind == ChangeKind::Changed)
        ctx.out << "  - " << c.old_grade << "\n  + " << c.new_grade << "\n";
      if (c.kind == ChangeKind::Removed || (c.kind == ChangeKind::Changed && c.old_text != c.new_text))
        ctx.out << "  - " << c.old_text << "\n";
      if (c.kind == ChangeKind::Added || (c.kind == ChangeKind::Changed && c.old_text != c.new_text))
        ctx.out << "  + " << c.new_text << "\n";
    }
  }
  const int rc = report(diags, ctx);
  if (rc != kExitOk) return rc;
  return args.has("--exit-code") && differs ? kExitFindings : kExitOk;
}

}  // namespace normkit::cli
