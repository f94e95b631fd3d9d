// Placeholder while this stage is being written.
#include "correlate/correlator.hpp"
