// normkit build CORPUS... -o OUT [--only NAME,...]
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "cli/build.h"
#include "core/corpus.h"
#include "core/io.h"
#include "generators/registry.h"

namespace normkit::cli {

namespace {

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

// Reads SOURCE_DATE_EPOCH (reproducible-builds.org): unset or invalid means "no timestamps".
std::optional<int64_t> source_date_epoch(Diagnostics& diags) {
  const char* env = std::getenv("SOURCE_DATE_EPOCH");
  if (!env || !*env) return std::nullopt;
  char* end = nullptr;
  const long long v = std::strtoll(env, &end, 10);
  if (*end != '\0' || v < 0) {
    diags.warning("source-date-epoch", "SOURCE_DATE_EPOCH='" + std::string(env) + "' is not a whole number of seconds; ignored");
    return std::nullopt;
  }
  return static_cast<int64_t>(v);
}

int run_generators(const std::vector<std::string>& corpus_args, const std::string& out_dir,
                   const std::vector<const GeneratorEntry*>& selected, bool use_subdirs,
                   bool check_schema, Context& ctx) {
  const auto started = std::chrono::steady_clock::now();
  Diagnostics diags;
  Corpus corpus;
  LoadOptions load;
  load.check_schema = check_schema;
  const bool loaded = load_corpus(corpus_args, corpus, diags, load);
  using Clock = std::chrono::steady_clock;
  const auto ms_since = [](Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
  };
  std::string timings = "load " + std::to_string(ms_since(started)) + " ms";
  if (!loaded || corpus.documents.empty()) {
    if (loaded) diags.error("empty-corpus", "no documents found in " + corpus_args.front());
    report(diags, ctx);
    return exit_code_for(diags);
  }
  GeneratorOptions options;
  options.normkit_version = std::string(normkit_version());
  options.source_date_epoch = source_date_epoch(diags);
  options.threads = std::max(1u, std::thread::hardware_concurrency());
  // Every generator streams its files straight into one staging directory beside the output
  // (nothing is held in memory until the end); the staging directory is swapped in only when
  // all of them succeeded, else removed, so a failed build leaves the old output intact.
  const auto stage_started = Clock::now();
  const std::filesystem::path staging = begin_output(out_dir, diags);
  if (staging.empty()) {
    report(diags, ctx);
    return kExitIo;
  }
  struct StagingGuard {  // removes the staging directory on every path out but success
    std::filesystem::path dir;
    ~StagingGuard() { abandon_output(dir); }
  } guard{staging};
  timings += ", stage " + std::to_string(ms_since(stage_started)) + " ms";
  std::string summary;
  for (const GeneratorEntry* g : selected) {
    const std::string subdir = use_subdirs && !g->subdir.empty() ? std::string(g->subdir) : std::string();
    OutputTree tree(subdir.empty() ? staging : staging / subdir);
    const auto generator_started = Clock::now();
    const bool generated = g->generate(corpus, options, tree, diags);
    timings += ", " + std::string(g->name) + " " + std::to_string(ms_since(generator_started)) + " ms";
    if (!tree.error().empty()) {
      diags.error("io", tree.error());
      diags.error("generator-failed", "generator '" + std::string(g->name) + "' could not write its output; nothing was written");
      report(diags, ctx);
      return kExitIo;
    }
    if (!generated) {
      diags.error("generator-failed", "generator '" + std::string(g->name) + "' failed; nothing was written");
      report(diags, ctx);
      return kExitFindings;
    }
    summary += (summary.empty() ? "" : ", ") + std::string(g->name) + " (" + std::to_string(tree.size()) + " files)";
  }
  const auto write_started = Clock::now();
  guard.dir.clear();  // from here finish_output owns it (and removes it on failure)
  if (!finish_output(staging, out_dir, diags)) {
    report(diags, ctx);
    return kExitIo;
  }
  timings += ", write " + std::to_string(ms_since(write_started)) + " ms";
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  report(diags, ctx);
  if (ctx.format == OutputFormat::Text)
    ctx.err << "normkit: " << corpus.documents.size() << " document(s) -> " << out_dir << ": " << summary
            << " in " << ms << " ms (" << timings << ")\n";
  return exit_code_for(diags);
}

int run_build(const ParsedArgs& args, Context& ctx) {
  const std::string out_dir = args.value("-o");
  if (args.positional.empty() || out_dir.empty()) {
    ctx.err << "normkit build: error: usage: normkit build CORPUS_DIR... -o OUT_DIR\n";
    return kExitUsage;
  }
  std::vector<const GeneratorEntry*> selected;
  if (args.values.count("--only")) {
    for (const std::string& name : split_commas(args.value("--only"))) {
      const GeneratorEntry* g = find_generator(name);
      if (!g) {
        ctx.err << "normkit build: error: no generator named '" << name << "'\n";
        return kExitUsage;
      }
      selected.push_back(g);
    }
  } else {
    for (const GeneratorEntry& g : generators()) selected.push_back(&g);
  }
  if (selected.empty()) {
    ctx.err << "normkit build: error: no generators selected\n";
    return kExitUsage;
  }
  return run_generators(args.positional, out_dir, selected, true, args.has("--validate-schema"), ctx);
}

}  // namespace normkit::cli
