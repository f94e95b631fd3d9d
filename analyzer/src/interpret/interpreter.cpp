// Placeholder while this stage is being written.
#include "interpret/interpreter.hpp"
