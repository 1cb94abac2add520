#include "generators/site/render.h"

#include <algorithm>

#include "generators/site/escape.h"

namespace normkit::site {

namespace {

// One step of the explicit stack: either markup to append, or a node to open.
struct Item {
  const Node* node = nullptr;  // null: append `literal`
  std::string literal;
  int section_depth = 0;  // sections open around this node
  bool in_link = false;   // inside <a>: links must not nest
  bool header_row = false;
};

const char* list_style_class(ListStyle s) {
  switch (s) {
    case ListStyle::Decimal: return "ls-decimal";
    case ListStyle::LowerAlpha: return "ls-lower-alpha";
    case ListStyle::UpperAlpha: return "ls-upper-alpha";
    case ListStyle::LowerRoman: return "ls-lower-roman";
    case ListStyle::UpperRoman: return "ls-upper-roman";
    case ListStyle::Bullet: return "ls-bullet";
    case ListStyle::None: return "ls-none";
  }
  return "ls-none";
}

class Renderer {
 public:
  Renderer(RenderContext& ctx, std::string& out) : ctx_(ctx), out_(out) {}

  void run(const std::vector<Node>& roots, int section_depth) {
    push_nodes(roots, section_depth, false);
    while (!stack_.empty()) {
      Item item = std::move(stack_.back());
      stack_.pop_back();
      if (!item.node) {
        out_ += item.literal;
        continue;
      }
      open(item);
    }
  }

 private:
  void push_nodes(const std::vector<Node>& nodes, int depth, bool in_link, bool header_row = false) {
    for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
      Item i;
      i.node = &*it;
      i.section_depth = depth;
      i.in_link = in_link;
      i.header_row = header_row;
      stack_.push_back(std::move(i));
    }
  }
  // Queues, in reading order: `nodes` then the literal `close`.
  void then(std::string close) {
    Item i;
    i.literal = std::move(close);
    stack_.push_back(std::move(i));
  }

  void open(const Item& item) {
    const Node& n = *item.node;
    const int depth = item.section_depth;
    const bool in_link = item.in_link;
    switch (n.type) {
      case NodeType::Furniture:
        return;  // page furniture is not part of the document
      case NodeType::Section: {
        const std::string id = n.labeled ? n.labeled->id : "";
        const int level = std::min(6, ctx_.base_heading + depth);
        const std::string h = "h" + std::to_string(level);
        out_ += "<section class=\"sec\"";
        if (!id.empty()) {
          out_ += " id=\"" + html_attr(id) + "\" aria-labelledby=\"h-" + html_attr(id) + "\"";
        }
        out_ += ">\n<" + h;
        if (!id.empty()) out_ += " id=\"h-" + html_attr(id) + "\"";
        out_ += ">";
        const Labeled* l = n.labeled.get();
        const std::string prefix = l ? (!l->label.empty() ? l->label : l->number) : "";
        if (!prefix.empty()) out_ += "<span class=\"num\">" + html_text(prefix) + "</span> ";
        std::string close;
        if (!id.empty())
          close += " <a class=\"self\" href=\"#" + html_attr(id) + "\" aria-label=\"Link to this section\">#</a>";
        close += "</" + h + ">\n";
        then("</section>\n");
        push_nodes(n.children, depth + 1, false);
        then(std::move(close));
        push_nodes(n.title, depth, false);
        return;
      }
      case NodeType::Provision: {
        const Labeled* l = n.labeled.get();
        const std::string id = l ? l->id : "";
        std::string label = l ? l->label : "";
        if (label.empty() && l) label = std::string(display_name(l->kind)) + (l->number.empty() ? "" : " " + l->number);
        out_ += "<article class=\"prov k-";
        out_ += l ? to_string(l->kind) : "requirement";
        out_ += "\"";
        if (!id.empty()) out_ += " id=\"" + html_attr(id) + "\" aria-labelledby=\"l-" + html_attr(id) + "\"";
        out_ += ">\n<header class=\"prov-head\">";
        if (!id.empty())
          out_ += "<a class=\"self\" id=\"l-" + html_attr(id) + "\" href=\"#" + html_attr(id) + "\">" + html_text(label) + "</a>";
        else
          out_ += "<span class=\"self\">" + html_text(label) + "</span>";
        if (l) render_badges(*l, out_);
        out_ += "</header>\n";
        then("</article>\n");
        push_nodes(n.children, depth, false);
        if (!n.title.empty()) {
          out_ += "<p class=\"prov-title\">";
          then("</p>\n");
          push_nodes(n.title, depth, false);
        }
        return;
      }
      case NodeType::Paragraph:
        out_ += "<p>";
        then("</p>\n");
        push_nodes(n.children, depth, in_link);
        return;
      case NodeType::List: {
        const char* tag = n.flag ? "ol" : "ul";
        out_ += std::string("<") + tag + " class=\"" + list_style_class(n.list_style) + "\">\n";
        then(std::string("</") + tag + ">\n");
        push_nodes(n.children, depth, in_link);
        return;
      }
      case NodeType::ListItem:
        if (!n.text.empty()) {
          out_ += "<li class=\"labeled\"><span class=\"li-label\">" + html_text(n.text) + "</span> ";
        } else {
          out_ += "<li>";
        }
        then("</li>\n");
        push_nodes(n.children, depth, in_link);
        return;
      case NodeType::Table:
        out_ += "<div class=\"table-wrap\"><table>\n";
        then("</table></div>\n");
        push_nodes(n.children, depth, in_link);
        if (!n.title.empty()) {
          out_ += "<caption>";
          then("</caption>\n");
          push_nodes(n.title, depth, in_link);
        }
        return;
      case NodeType::Row:
        out_ += "<tr>";
        then("</tr>\n");
        push_nodes(n.children, depth, in_link, n.flag);
        return;
      case NodeType::Cell:
        out_ += item.header_row ? "<th scope=\"col\">" : "<td>";
        then(item.header_row ? "</th>" : "</td>");
        push_nodes(n.children, depth, in_link);
        return;
      case NodeType::Note: {
        out_ += "<div class=\"note\" role=\"note\"><p class=\"note-kind\">";
        if (n.text.empty()) {
          out_ += "Note";
        } else {
          std::string kind = n.text;
          kind[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(kind[0])));
          out_ += html_text(kind);
        }
        out_ += "</p>\n";
        then("</div>\n");
        push_nodes(n.children, depth, in_link);
        return;
      }
      case NodeType::Scope: {
        const std::string anchor = scope_anchor(++ctx_.next_scope);
        out_ += "<section class=\"scope\" id=\"" + anchor + "\" aria-labelledby=\"" + anchor + "-h\"><h2 id=\"" +
                anchor + "-h\">Scope</h2>\n";
        then("</section>\n");
        push_nodes(n.children, depth, in_link);
        return;
      }
      case NodeType::Text:
        append_html_text(out_, n.text);
        return;
      case NodeType::Keyword:
        render_keyword(n.text, n.force, out_);
        return;
      case NodeType::TermRef: {
        const auto& anchors = ctx_.site->glossary_anchor[ctx_.doc];
        const auto it = anchors.find(n.target);
        if (in_link || it == anchors.end()) {
          out_ += "<span class=\"term-text\">";
          then("</span>");
          push_nodes(n.children, depth, in_link);
          return;
        }
        const std::string tip = "tip-" + std::to_string(++ctx_.next_tooltip);
        out_ += "<span class=\"term\"><a href=\"" + ctx_.root + "glossary.html#" + html_attr(it->second) +
                "\" aria-describedby=\"" + tip + "\">";
        std::string close = "</a><span class=\"tip\" role=\"tooltip\" id=\"" + tip + "\">";
        if (ctx_.definition_text) {
          const auto d = ctx_.definition_text->find(n.target);
          if (d != ctx_.definition_text->end()) append_html_text(close, d->second);
        }
        close += "</span></span>";
        then(std::move(close));
        push_nodes(n.children, depth, true);
        return;
      }
      case NodeType::Emphasis:
        out_ += "<em>";
        then("</em>");
        push_nodes(n.children, depth, in_link);
        return;
      case NodeType::Strong:
        out_ += "<strong>";
        then("</strong>");
        push_nodes(n.children, depth, in_link);
        return;
      case NodeType::Link: {
        const auto href = safe_link_target(n.target);
        if (in_link || !href) {
          // A dropped link keeps its text, visibly not a link.
          out_ += in_link ? "<span>" : "<span class=\"link-dropped\">";
          then("</span>");
        } else {
          out_ += "<a class=\"ext\" href=\"" + html_attr(*href) + "\" rel=\"noopener noreferrer\">";
          then("</a>");
        }
        push_nodes(n.children, depth, true);
        return;
      }
      case NodeType::XRef: {
        if (in_link) {
          out_ += "<span>";
        } else {
          out_ += "<a class=\"xref\" href=\"" + html_attr(ctx_.xref_page) + "#" + html_attr(n.target) + "\">";
        }
        if (n.children.empty()) append_html_text(out_, n.target);
        then(in_link ? "</span>" : "</a>");
        push_nodes(n.children, depth, true);
        return;
      }
      case NodeType::LineBreak:
        out_ += "<br>";
        return;
    }
  }

  RenderContext& ctx_;
  std::string& out_;
  std::vector<Item> stack_;
};

}  // namespace

void render_blocks(RenderContext& ctx, const std::vector<Node>& blocks, std::string& out) {
  Renderer(ctx, out).run(blocks, 0);
}

void render_inlines(RenderContext& ctx, const std::vector<Node>& inlines, std::string& out) {
  Renderer(ctx, out).run(inlines, 0);
}

void render_keyword(std::string_view as_written, Force force, std::string& out) {
  const std::string_view f = to_string(force);
  out += "<strong class=\"kw f-";
  out += f;
  out += "\" title=\"";
  out += f;
  out += "\">";
  append_html_text(out, as_written);
  out += "</strong>";
}

void render_badges(const Labeled& l, std::string& out) {
  out += " <span class=\"badge b-kind\">";
  append_html_text(out, display_name(l.kind));
  out += "</span>";
  if (!l.cls.empty()) {
    out += " <span class=\"badge b-class c-" + html_attr(l.cls) + "\">";
    append_html_text(out, class_display(l.cls));
    out += "</span>";
  }
  if (!l.level.empty()) {
    out += " <span class=\"badge b-level\">";
    append_html_text(out, level_display(l.level));
    out += "</span>";
  }
}

}  // namespace normkit::site
