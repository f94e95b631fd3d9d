// Placeholder while this stage is being written.
#include "rules/rule_set.hpp"
