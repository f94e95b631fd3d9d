// Command-line entry: parses arguments and runs one sub-command. Returns the process exit code.
#pragma once

namespace kmsdiag {
int run_cli(int argc, char** argv);
}
