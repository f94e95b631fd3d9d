// Placeholder while this stage is being written.
#include "report/report.hpp"
