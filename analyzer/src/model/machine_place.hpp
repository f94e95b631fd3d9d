// Which machine a record is about, as a key two records can be compared by, and as words for a report.
// slmgr and ospp do not print the computer name (nor does an event export without a Computer column), so
// a record without one is placed by the folder of its input: a bundle keeps each machine's files in a
// folder of its own.
#pragma once

#include <string>
#include <string_view>

#include "model/record.hpp"

namespace kmsdiag {

// A machine name as names compare: lower-case short name (`PC1.contoso.com` = `pc1`); IP literals whole.
std::string machine_key(std::string_view name);

// The folder part of an input path, with its trailing separator: `a/b/` for `a/b/c.txt`, `x.zip!dir/` for
// `x.zip!dir/f.txt`, `x.zip!` for `x.zip!f.txt`, "" for a bare file name.
std::string_view input_folder(std::string_view path);

// `machine:<machine_key>` for a record that names its machine, else `folder:<input_folder>`.
std::string place_key(const Record& r);

// How a report names a machine it knows only by its output: `where` is that output's file, or the
// folder holding several of its files. "the machine whose output is in <where>".
std::string unnamed_machine_label(std::string_view where);

}  // namespace kmsdiag
