// The live sub-commands: `kmsdiag dns` (KMS discovery and reachability report), `kmsdiag check`
// (monitoring plugin), and the `--live` options of `kmsdiag analyze`.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/analysis_pipeline.hpp"

namespace kmsdiag {

class LiveCommands {
 public:
  // Registers `dns` and `check` on `app` and --live/--live-domain/--server on `analyze`.
  LiveCommands(CLI::App& app, CLI::App& analyze);
  LiveCommands(const LiveCommands&) = delete;
  LiveCommands& operator=(const LiveCommands&) = delete;

  // `dns` or `check` was given: run() handles the whole invocation.
  bool selected() const;
  // The command is `check`, whose exit codes are the monitoring plugin's 0-3.
  bool health_check() const;
  int run() const;

  // When `analyze --live` was given, makes the pipeline append the live facts.
  void attach(PipelineOptions& options) const;

 private:
  struct Args {
    std::vector<std::string> domains, servers, expect_hosts;
    std::string timeout_ms = "1000", deadline_ms = "10000", format = "text", prometheus;
  };
  static void add_probe_options(CLI::App& cmd, Args& args);
  int run_dns() const;
  int run_check() const;

  CLI::App* dns_ = nullptr;
  CLI::App* check_ = nullptr;
  Args dns_args_, check_args_, analyze_args_;
  bool live_ = false;
};

}  // namespace kmsdiag
