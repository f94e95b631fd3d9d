#include "cli/cli.hpp"

int main(int argc, char** argv) { return kmsdiag::run_cli(argc, argv); }
