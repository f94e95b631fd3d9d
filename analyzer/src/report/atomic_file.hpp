// Writing a whole output file so that a reader never sees half of it (a Prometheus textfile scraped while
// `kmsdiag check` rewrites it).
#pragma once

#include <string>

namespace kmsdiag {

// Writes `text` to `path` through a temporary file in the same folder and a rename. Returns "" or the error.
std::string write_file_atomically(const std::string& path, const std::string& text);

}  // namespace kmsdiag
