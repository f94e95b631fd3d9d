// Placeholder while this stage is being written.
#include "probe/srv_probe.hpp"
