#include "cli/cli.h"

#include <exception>
#include <sstream>

namespace normkit::cli {

namespace {

const OptionSpec kFormatOption{"--format", true, "text (default) or json: how findings are printed"};
const OptionSpec kHelpOption{"--help", false, "show this help"};

const OptionSpec* find_option(const Command& cmd, std::string_view name) {
  if (name == kFormatOption.name) return &kFormatOption;
  if (name == kHelpOption.name || name == "-h") return &kHelpOption;
  for (const OptionSpec& o : cmd.options)
    if (o.name == name) return &o;
  return nullptr;
}

void print_command_help(const Command& cmd, std::ostream& out) {
  out << "usage: " << cmd.usage << "\n\n" << cmd.summary << "\n";
  if (!cmd.details.empty()) out << "\n" << cmd.details << "\n";
  out << "\noptions:\n";
  std::vector<OptionSpec> all = cmd.options;
  all.push_back(kFormatOption);
  all.push_back(kHelpOption);
  for (const OptionSpec& o : all) {
    std::string left = "  " + std::string(o.name) + (o.takes_value ? " VALUE" : "");
    if (left.size() < 22) left.resize(22, ' ');
    else left += "  ";
    out << left << o.help << "\n";
  }
}

void print_general_help(std::ostream& out) {
  out << "normkit " << normkit_version()
      << ": standards and clinical practice guidelines as structured, searchable data\n\n"
         "usage: normkit COMMAND [OPTIONS] [ARGS]\n\ncommands:\n";
  for (const Command& c : commands()) {
    std::string left = "  " + std::string(c.name);
    left.resize(14, ' ');
    out << left << c.summary << "\n";
  }
  out << "  help          show this help, or a command's: normkit help COMMAND\n"
         "\nglobal options: --version, --help\n"
         "exit codes: 0 ok, 1 findings in the input, 2 usage error, 3 file error, 4 internal error\n";
}

int run_command(const Command& cmd, const std::vector<std::string>& args, std::ostream& out,
                std::ostream& err) {
  ParsedArgs parsed;
  bool only_positional = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (only_positional || a == "-" || a.empty() || a[0] != '-') {
      parsed.positional.push_back(a);
      continue;
    }
    if (a == "--") {
      only_positional = true;
      continue;
    }
    std::string name = a;
    std::string value;
    bool has_inline_value = false;
    if (const size_t eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      has_inline_value = true;
    }
    const OptionSpec* spec = find_option(cmd, name);
    if (!spec) {
      err << "normkit " << cmd.name << ": error: unknown option '" << name << "'\n"
          << "try 'normkit " << cmd.name << " --help'\n";
      return kExitUsage;
    }
    if (spec->name == kHelpOption.name) {
      print_command_help(cmd, out);
      return kExitOk;
    }
    if (spec->takes_value) {
      if (!has_inline_value) {
        if (i + 1 >= args.size()) {
          err << "normkit " << cmd.name << ": error: option '" << name << "' needs a value\n";
          return kExitUsage;
        }
        value = args[++i];
      }
      parsed.values[std::string(spec->name)] = value;
    } else {
      if (has_inline_value) {
        err << "normkit " << cmd.name << ": error: option '" << name << "' takes no value\n";
        return kExitUsage;
      }
      parsed.flags.insert(std::string(spec->name));
    }
  }
  Context ctx{out, err};
  const std::string format = parsed.value("--format", "text");
  if (format == "json") ctx.format = OutputFormat::Json;
  else if (format != "text") {
    err << "normkit " << cmd.name << ": error: --format must be 'text' or 'json'\n";
    return kExitUsage;
  }
  return cmd.run(parsed, ctx);
}

}  // namespace

int report(const Diagnostics& diags, Context& ctx) {
  if (ctx.format == OutputFormat::Json) {
    ctx.out << format_json(diags.all());
  } else {
    for (const Diagnostic& d : diags.all()) ctx.err << format_text(d);
  }
  return diags.has_errors() ? kExitFindings : kExitOk;
}

int exit_code_for(const Diagnostics& diags) {
  if (!diags.has_errors()) return kExitOk;
  for (const Diagnostic& d : diags.all())
    if (d.severity == Severity::Error && d.code != "io") return kExitFindings;
  return kExitIo;
}

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  try {
    if (args.empty()) {
      print_general_help(err);
      return kExitUsage;
    }
    const std::string& first = args[0];
    if (first == "--version" || first == "version") {
      out << "normkit " << normkit_version() << "\n";
      return kExitOk;
    }
    if (first == "help" || first == "--help" || first == "-h") {
      if (args.size() > 1) {
        for (const Command& c : commands())
          if (c.name == args[1]) {
            print_command_help(c, out);
            return kExitOk;
          }
        err << "normkit: error: unknown command '" << args[1] << "'\n";
        return kExitUsage;
      }
      print_general_help(out);
      return kExitOk;
    }
    for (const Command& c : commands())
      if (c.name == first)
        return run_command(c, std::vector<std::string>(args.begin() + 1, args.end()), out, err);
    err << "normkit: error: unknown command '" << first << "'\ntry 'normkit help'\n";
    return kExitUsage;
  } catch (const std::bad_alloc&) {
    err << "normkit: error: out of memory\n";
    return kExitInternal;
  } catch (const std::exception& e) {
    err << "normkit: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
}

}  // namespace normkit::cli
