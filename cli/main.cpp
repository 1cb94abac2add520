#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  const int rc = normkit::cli::run_cli(args, std::cout, std::cerr);
  std::cout.flush();
  return rc;
}
