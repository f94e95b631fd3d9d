// Placeholder while this stage is being written.
#include "knowledge/knowledge.hpp"
