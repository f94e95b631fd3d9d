#include "cli/cli.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <future>
#include <iostream>

#include "cli/analysis_pipeline.hpp"
#include "cli/dns_command.hpp"
#include "cli/explain_command.hpp"
#include "cli/progress_line.hpp"
#include "cli/rules_location.hpp"
#include "cli/run_provenance.hpp"
#include "ingest/idle_digest.hpp"
#include "model/version.hpp"
#include "probe/health_status.hpp"
#include "report/redaction.hpp"
#include "report/renderer_registry.hpp"
#include "report/report.hpp"
#include "rules/schema_markdown.hpp"

namespace kmsdiag {
namespace {

bool use_color(bool no_color_flag) {
  if (no_color_flag) return false;
  if (const char* nc = std::getenv("NO_COLOR"); nc && *nc) return false;
  return isatty(STDOUT_FILENO) == 1;
}

struct Loaded {
  Knowledge kb;
  RuleSet rules;
};

// Loads tables and rules; prints every bad rule as file:line and returns false if any. The two are
// independent and mostly YAML parsing, a few tens of milliseconds before anything else can start: the
// tables load on a thread of their own meanwhile.
bool load_rules(const std::string& dir, Loaded& out) {
  std::future<Knowledge> tables = std::async(std::launch::async, [&dir] { return Knowledge::load(dir + "/tables"); });
  std::vector<RuleError> errors;
  out.rules = RuleSet::load(dir, errors);
  try {
    out.kb = tables.get();
  } catch (const std::exception& e) {
    std::cerr << "kmsdiag: " << e.what() << "\n";
    return false;
  }
  count_only_unread_facts(out.kb, out.rules);
  for (const auto& e : errors) std::cerr << "kmsdiag: " << e.describe() << "\n";
  if (errors.empty() && out.rules.size() == 0) {
    std::cerr << "kmsdiag: " << dir << ": no rule files found\n";
    return false;
  }
  return errors.empty();
}

// A closed standard descriptor would be taken by the next file opened (an input, the Prometheus textfile),
// and the report written into that file: each closed one is held open on /dev/null instead. Returns
// whether standard output was closed, so the run can fail as when the output cannot be written.
bool hold_closed_std_descriptors() {
  bool stdout_closed = false;
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
    if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    stdout_closed |= fd == STDOUT_FILENO;
    // The lowest free descriptor is this one: 0..fd-1 are open (held already if they were closed).
    if (open("/dev/null", O_RDWR) != fd) return stdout_closed;
  }
  return stdout_closed;
}

// Delivers what is buffered for standard output; "" when everything written so far reached it, else why not.
std::string flush_stdout() {
  // A write that failed while the report was rendered, or in the stream's flush, left its reason in errno;
  // stdio's own flush after it may fail anew (newer reason) or find nothing left to write.
  std::cout.flush();
  const int earlier = errno;
  errno = 0;
  const bool failed = std::fflush(stdout) != 0 || std::ferror(stdout) != 0 || !std::cout;
  if (!failed) return "";
  const int why = errno != 0 ? errno : earlier;
  return why != 0 ? std::strerror(why) : "write error";
}

int run_command(int argc, char** argv, bool& health_check) {
  CLI::App app{"kmsdiag: finds out why Windows volume activation (KMS, MAK, AD-based) fails"};
  app.set_version_flag("--version", "kmsdiag " + std::string(tool_version()));
  app.require_subcommand(1);
  // Options of the whole program (--rules) may also follow a subcommand: `kmsdiag rules validate --rules DIR`.
  // Subcommands created below inherit this.
  app.fallthrough();
  std::string rules_dir;
  app.add_option("--rules", rules_dir,
                 "Rules folder (default: $KMSDIAG_RULES, else the installed rules, else the source tree's rules/)");

  auto* analyze =
      app.add_subcommand("analyze", "Explain activation failures found in exported logs and command output");
  std::vector<std::string> paths;
  std::string format = "text";
  bool no_color = false, verbose = false, redact_names = false;
  analyze->add_option("paths", paths, "Files, folders or zip archives to analyse (- for standard input)")->required();
  analyze->add_option("--format", format, "Output format")->check(CLI::IsMember(format_names(Document::analysis)));
  analyze->add_flag("--no-color", no_color, "Never colour the output (NO_COLOR is honoured too)");
  analyze->add_flag("-v,--verbose", verbose, "List every input file, not only those with problems");
  analyze->add_flag("--redact", redact_names,
                    "Replace machine names, domains, CMIDs, IP addresses and user names by stable pseudonyms in the "
                    "report (any format; key: $KMSDIAG_REDACT_KEY, else a fixed one)");
  analyze->footer(
      "Exit codes: 0 no finding of warning or worse; 1 findings of warning or worse; 2 some input damaged or "
      "unreadable; 3 both 1 and 2; 64 usage error; 65 inputs found but none analysed (all skipped, or empty "
      "archives); 66 no input found; 70 internal error; 74 the report could not be written; 78 bad rule or table "
      "files.");
  unsigned jobs = 0;
  analyze->add_option(
      "-j,--jobs", jobs,
      fmt::format("Inputs read at the same time, at most {} (default: one per core, at most 8)", kMaxJobs));

  LiveCommands live(app, *analyze);
  const ExplainCommand explain(app);

  auto* rules_cmd = app.add_subcommand("rules", "Work with rule files");
  rules_cmd->require_subcommand(1);
  auto* validate = rules_cmd->add_subcommand("validate", "Load every rule and table; report bad ones as file:line");
  auto* test = rules_cmd->add_subcommand("test", "Run every rule's positive and negative examples");
  auto* schema = rules_cmd->add_subcommand(
      "schema", "Print rules/records.md as generated from rules/schema.yaml (kmsdiag rules schema > rules/records.md)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  }

  health_check = live.health_check();
  if (live.selected()) return live.run();

  // A big input's report waits for its digest, one serial stream: it starts now, while the rules load.
  if (analyze->parsed())
    for (const std::string& path : paths) hash_ahead(path);
  Loaded loaded;
  const std::string dir = resolve_rules_dir(rules_dir);
  const bool rules_ok = load_rules(dir, loaded);

  if (explain.selected()) return rules_ok ? explain.run(dir, loaded.kb, loaded.rules) : kExitConfig;
  if (*validate) {
    if (!rules_ok) return kExitConfig;
    std::cout << fmt::format("{}: {} rules and their tables are valid\n", dir, loaded.rules.size());
    return kExitOk;
  }
  if (*schema) {
    if (loaded.rules.schema() == nullptr) return kExitConfig;
    std::cout << records_markdown(*loaded.rules.schema());
    return kExitOk;
  }
  if (*test) {
    if (!rules_ok) return kExitConfig;
    const auto failures = loaded.rules.check_examples();
    for (const auto& f : failures) std::cerr << "kmsdiag: " << f.describe() << "\n";
    std::cout << fmt::format("{} rules: {} example failures\n", loaded.rules.size(), failures.size());
    return failures.empty() ? kExitOk : kExitConfig;
  }
  if (!rules_ok) return kExitConfig;

  PipelineOptions options;
  options.paths = paths;
  if (jobs > kMaxJobs)
    std::cerr << fmt::format("kmsdiag: --jobs {}: at most {} inputs are read at once; using {}\n", jobs, kMaxJobs,
                             kMaxJobs);
  options.jobs = jobs;
  live.attach(options);
  ProgressLine progress;
  options.on_problem = [&progress](const Problem& p) { progress.print("kmsdiag: " + p.describe()); };
  options.on_progress = [&progress](const std::string& input, uint64_t done, uint64_t records) {
    progress.update(input, done, records);
  };
  try {
    Analysis analysis = run_analysis(options, loaded.kb, loaded.rules);
    progress.clear();
    if (format == "json") {
      std::vector<std::string> rule_files = loaded.kb.files;
      rule_files.insert(rule_files.end(), loaded.rules.files().begin(), loaded.rules.files().end());
      analysis.rule_set = identify_rule_set(dir, rule_files);
    }
    if (redact_names) {
      const char* key = std::getenv("KMSDIAG_REDACT_KEY");
      redact(analysis, key && *key ? std::string_view(key) : kDefaultRedactionKey);
    }
    TerminalOptions t;
    t.color = use_color(no_color);
    t.verbose = verbose;
    find_renderer(format, Document::analysis)->analysis(analysis, std::cout, t);
    bool any_read = false;
    for (const auto& in : analysis.inputs) any_read |= in.skipped.empty();
    if (!any_read && analysis.inputs.size() == 1 && !analysis.inputs[0].skipped.empty() &&
        analysis.inputs[0].skipped == "no such file or directory")
      return kExitNoInput;
    return exit_code(analysis);
  } catch (const std::exception& e) {
    std::cerr << "kmsdiag: internal error: " << e.what() << "\n";
    return kExitSoftware;
  }
}

}  // namespace

int run_cli(int argc, char** argv) {
  const bool stdout_closed = hold_closed_std_descriptors();
  bool health_check = false;
  const int rc = run_command(argc, argv, health_check);
  std::string error = flush_stdout();
  if (stdout_closed) error = "standard output is closed";
  if (error.empty()) return rc;
  std::cerr << "kmsdiag: cannot write the output: " << error << "\n";
  // A monitoring plugin exits 0-3 only: a status line that never arrived is UNKNOWN.
  return health_check ? static_cast<int>(Health::unknown) : kExitOutput;
}

}  // namespace kmsdiag
