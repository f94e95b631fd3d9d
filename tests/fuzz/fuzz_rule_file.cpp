// libFuzzer target for rule files: any bytes written as a rule file must load as a rule or give
// errors with a file and line — never crash, hang or pass silently.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "rules/rule_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The parser reads files (it reports file:line), so each input is written to one scratch file.
  static const std::string path = [] {
    char tmpl[] = "/tmp/kmsdiag-fuzz-rule-XXXXXX";
    const int fd = mkstemp(tmpl);
    if (fd < 0) std::abort();
    close(fd);
    return std::string(tmpl);
  }();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  std::vector<kmsdiag::RuleError> errors;
  const kmsdiag::CauseCatalog catalog = {{"duplicate-cmid", "x"}, {"count-below-threshold", "y"}};
  const auto rule = kmsdiag::load_rule_file(path, &catalog, errors);
  if (!rule && errors.empty()) std::abort();  // a bad rule must never pass silently
  for (const auto& e : errors)
    if (e.file.empty()) std::abort();
  return 0;
}
