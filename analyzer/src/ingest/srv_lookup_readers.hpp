// Readers of SRV lookups for `_vlmcs._tcp[.domain]` as printed by Windows nslookup (any language the
// nslookup label table knows), PowerShell Resolve-DnsName (table or list view, with its error
// records) and dig. Each query becomes one `cmd.srv-lookup` record (ingest/srv_lookup_record.hpp).
#pragma once

#include "ingest/reader.hpp"

namespace kmsdiag {

FormatInfo nslookup_srv_format();         // "nslookup-srv"
FormatInfo resolve_dnsname_srv_format();  // "resolve-dnsname-srv"
FormatInfo dig_srv_format();              // "dig-srv"

}  // namespace kmsdiag
