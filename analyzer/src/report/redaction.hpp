// `--redact`: the names in a report replaced by stable pseudonyms, in one pass over the Analysis before any
// renderer runs, so every format (text, JSON, Markdown, HTML) is redacted alike and no renderer can forget to.
//
// What is replaced, wherever it appears (titles, explanations, evidence summaries, file and member names,
// problem lines, facts, lists, the fleet overview): machine names (`machine-3f9a1c`; a short name and its FQDN alike),
// DNS domains
// (`domain-07be42.example`, and each parent domain of two labels or more), CMIDs (`cmid-5d20e1`), IPv4
// addresses (documentation ranges 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24), IPv6 addresses (2001:db8::/32)
// and user names in paths (`/home/NAME/`, `/Users/NAME/`, `C:\Users\NAME\` → `user-…`) and SIDs.
// "Stable": a pseudonym is an HMAC-SHA-256 of the value (case-insensitive) under a key, so the same name gets
// the same pseudonym in every format and every run with that key.
#pragma once

#include <string>
#include <string_view>

#include "model/analysis.hpp"

namespace kmsdiag {

// The key used when none is given: reports of the same fleet stay comparable, but a guessed name can be
// checked against its pseudonym. A secret key (KMSDIAG_REDACT_KEY) prevents that.
inline constexpr std::string_view kDefaultRedactionKey = "kmsdiag-redact-v1";

void redact(Analysis& analysis, std::string_view key);

}  // namespace kmsdiag
