// Building KMS fact records: a fact inherits where/when/which machine from its event, and codes,
// products and license states are written in canonical form and enriched from the knowledge tables
// (the fields rules/records.md promises for every fact).
#pragma once

#include <string>
#include <string_view>

#include "knowledge/knowledge.hpp"
#include "model/record.hpp"

namespace kmsdiag {

// A new record of `kind` with the source, time and machine of `event`, with room for about `fields` fields
// (a fact is built field by field: without room it would grow several times).
Record new_fact(const Record& event, std::string_view kind, size_t fields = 16);

// Sets `field` to the canonical HRESULT; for the "hresult" field and a non-zero code also hresult_known
// (1/0), and hresult_symbol/_meaning/_cause/_kms when the code is in the table. False (nothing set) when `raw` is not a
// code.
bool set_hresult(Record& fact, std::string_view raw, const Knowledge& kb, std::string_view field = "hresult");

// Sets act_id (lower-case GUID, raw text when not a GUID), product/product_family/product_n when known, and
// count_line (rules/tables/count-lines.yaml) whenever the tables define count lines.
void set_product(Record& fact, std::string_view act_id, const Knowledge& kb);

// Sets license_status and license_status_name (when the table knows the number).
void set_license_status(Record& fact, std::string_view status, const Knowledge& kb);

// Sets kms_host as written and kms_host_name / kms_port: "kms1.contoso.com:1688", "[fe80::1]:1688",
// "_key.management.server:_1688" (as an Office 2010 sample prints it); kms_port is empty when the text after
// the last colon is not a port number.
void set_kms_host(Record& fact, std::string_view server);

// A GUID field in canonical lower case (written to `buf`); the trimmed raw text when it is not a GUID (e.g.
// elided in a doc).
std::string_view guid_or_raw(std::string_view text, Knowledge::GuidText& buf);

}  // namespace kmsdiag
