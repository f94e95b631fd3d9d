#include "report/html_fleet.hpp"

#include <fmt/format.h>

#include "report/html_text.hpp"
#include "report/svg_timeline.hpp"
#include "report/terminal_text.hpp"

namespace kmsdiag {
namespace {

constexpr int64_t kMinutesPerDay = 24 * 60;

// "180 days (until 2024-09-10)" when the state was recorded at a known time, else "180 days" (command output,
// taken when the export was made).
std::string days_to_expiry(const MachineProduct& m) {
  if (!m.minutes_to_expiry) return "";
  const int64_t days = *m.minutes_to_expiry / kMinutesPerDay;
  std::string text = count_of(static_cast<uint64_t>(std::max<int64_t>(days, 0)), "day", "days");
  if (m.state_ms != kNoTime) text += " (until " + html_day(m.state_ms + *m.minutes_to_expiry * 60'000) + ")";
  return text;
}

std::string cell(std::string_view text) { return "<td>" + (text.empty() ? "–" : html_escape(text)) + "</td>"; }

}  // namespace

void write_timelines_section(const FleetOverview& fleet, std::ostream& out) {
  out << "<section id=\"timelines\">\n<h2>Over time</h2>\n<h3>KMS host counts against their thresholds</h3>\n";
  if (fleet.host_counts.empty())
    out << "<p class=\"none\">No dated request from a KMS host's own log (its Key Management Service log) was "
           "supplied.</p>\n";
  for (const HostCountSeries& s : fleet.host_counts) write_host_count_chart(s, out);
  out << "<h3>Client failures by error code</h3>\n";
  if (fleet.failures.series.empty())
    out << "<p class=\"none\">No dated failed attempt in the clients' own records.</p>\n";
  else
    write_failure_chart(fleet.failures, out);
  if (fleet.failures.undated > 0)
    out << "<p>" << count_of(fleet.failures.undated, "failed attempt", "failed attempts")
        << " without a time (command output) are not drawn.</p>\n";
  out << "</section>\n";
}

void write_inventory_section(const FleetOverview& fleet, std::ostream& out) {
  out << "<section id=\"machines\">\n<h2>Machines</h2>\n";
  if (fleet.machines.empty()) {
    out << "<p class=\"none\">No machine's own license state or activation attempt was supplied.</p>\n</section>\n";
    return;
  }
  // Names and CMIDs are the long cells; they get the room.
  out << "<table class=\"inventory\">\n<colgroup><col style=\"width:20%\"><col style=\"width:15%\">"
         "<col style=\"width:14%\"><col style=\"width:12%\"><col style=\"width:14%\"><col style=\"width:14%\">"
         "<col></colgroup>\n<thead><tr><th>Machine</th><th>Product</th><th>License state</th>"
         "<th>Last success</th><th>KMS host used</th><th>CMID</th><th>Expires in</th></tr></thead>\n<tbody>\n";
  for (const MachineProduct& m : fleet.machines) {
    out << "<tr>" << cell(m.machine) << cell(m.product)
        << cell(m.channel.empty()   ? m.license
                : m.license.empty() ? m.channel
                                    : m.license + " (" + m.channel + ")")
        << cell(format_time(m.last_success_ms)) << cell(m.kms_host) << "<td class=\"id\">"
        << (m.cmid.empty() ? "–" : html_escape(m.cmid)) << "</td>" << cell(days_to_expiry(m)) << "</tr>\n";
  }
  out << "</tbody>\n</table>\n";
  if (fleet.machines_not_listed > 0)
    out << "<p>… and " << group_digits(fleet.machines_not_listed) << " more rows not listed.</p>\n";
  out << "</section>\n";
}

}  // namespace kmsdiag
