// Placeholder while this stage is being written.
#include "interpret/command_interpreter.hpp"

namespace kmsdiag {
bool interpret_command(const Record&, const Knowledge&, std::vector<Record>&) { return false; }
}  // namespace kmsdiag
