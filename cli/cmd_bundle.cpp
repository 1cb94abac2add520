// normkit bundle CORPUS... -o DIR: only the bundle generator, its files at the root of DIR.
#include "cli/build.h"

namespace normkit::cli {

int run_bundle(const ParsedArgs& args, Context& ctx) {
  const std::string out_dir = args.value("-o");
  if (args.positional.empty() || out_dir.empty()) {
    ctx.err << "normkit bundle: error: usage: normkit bundle CORPUS_DIR... -o OUT_DIR\n";
    return kExitUsage;
  }
  const GeneratorEntry* bundle = find_generator("bundle");
  if (!bundle) {
    ctx.err << "normkit bundle: internal error: the bundle generator is not registered\n";
    return kExitInternal;
  }
  return run_generators(args.positional, out_dir, {bundle}, false, args.has("--validate-schema"), ctx);
}

}  // namespace normkit::cli
