#include "report/svg_timeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/html_text.hpp"
#include "report/terminal_text.hpp"

namespace kmsdiag {
namespace {

// The plot area inside a 720 x 200 viewBox; the margins hold the axis labels.
constexpr double kWidth = 720, kHeight = 200;
constexpr double kLeft = 44, kRight = 712, kTop = 14, kBottom = 172;

class Plot {
 public:
  Plot(size_t buckets, double top_value) : buckets_(std::max<size_t>(buckets, 1)), top_(std::max(top_value, 1.0)) {}
  double x(size_t i) const { return kLeft + static_cast<double>(i) * slot(); }
  double slot() const { return (kRight - kLeft) / static_cast<double>(buckets_); }
  double bar_width() const { return std::max(slot() * 0.8, 0.5); }
  double y(double value) const { return kBottom - (kBottom - kTop) * value / top_; }

 private:
  size_t buckets_;
  double top_;
};

// "2024-03-14" for a one-day bucket, "2024-03-14 – 2024-03-20" for a wider one.
std::string bucket_label(const TimeBuckets& b, size_t i) {
  const std::string first = html_day(bucket_start_ms(b, i));
  if (b.bucket_days == 1) return first;
  return first + " – " + html_day(bucket_start_ms(b, i + 1) - 1);
}

void open_svg(std::ostream& out, std::string_view label) {
  out << fmt::format(R"(<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}">)", kWidth, kHeight,
                     html_escape(label))
      << "\n";
}

// The value axis at 0 and `top`, and the time axis with the first and last bucket's dates.
void write_axes(std::ostream& out, const Plot& plot, const TimeBuckets& b, uint64_t top) {
  out << fmt::format(R"(<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"/>)", kLeft, kBottom, kRight, kBottom)
      << fmt::format(R"(<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"/>)", kLeft, kTop, kLeft, kBottom)
      << fmt::format(R"(<text class="tick" x="{}" y="{}" text-anchor="end">0</text>)", kLeft - 4, kBottom + 4)
      << fmt::format(R"(<text class="tick" x="{}" y="{:.1f}" text-anchor="end">{}</text>)", kLeft - 4,
                     plot.y(static_cast<double>(top)) + 4, top)
      << fmt::format(R"(<text class="tick" x="{}" y="{}">{}</text>)", kLeft, kHeight - 8,
                     html_day(bucket_start_ms(b, 0)));
  if (b.count > 1)
    out << fmt::format(R"(<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>)", kRight, kHeight - 8,
                       html_day(bucket_start_ms(b, b.count - 1)));
  out << "\n";
}

}  // namespace

void write_host_count_chart(const HostCountSeries& s, std::ostream& out) {
  const uint64_t highest = s.counts.empty() ? 0 : *std::max_element(s.counts.begin(), s.counts.end());
  const uint64_t threshold = s.threshold ? static_cast<uint64_t>(std::llround(*s.threshold)) : 0;
  const uint64_t top = std::max(highest, threshold);
  const Plot plot(s.buckets.count, static_cast<double>(top) * 1.1);
  const std::string what = fmt::format("{}: {} count", s.host, s.line_name);

  out << R"(<figure class="timeline host-count">)"
      << "\n";
  open_svg(out, what + " per day against its threshold");
  write_axes(out, plot, s.buckets, top);
  for (size_t i = 0; i < s.counts.size(); ++i) {
    const bool reached = s.threshold && static_cast<double>(s.counts[i]) >= *s.threshold;
    out << fmt::format(
               R"(<rect class="{}" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"><title>{}: {}</title></rect>)",
               reached ? "bar reached" : "bar below", plot.x(i) + (plot.slot() - plot.bar_width()) / 2,
               plot.y(static_cast<double>(s.counts[i])), plot.bar_width(),
               kBottom - plot.y(static_cast<double>(s.counts[i])), bucket_label(s.buckets, i), s.counts[i])
        << "\n";
  }
  if (s.threshold)
    out << fmt::format(R"(<line class="threshold" x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}"/>)", kLeft,
                       plot.y(*s.threshold), kRight, plot.y(*s.threshold))
        << fmt::format(R"(<text class="threshold-label" x="{}" y="{:.1f}" text-anchor="end">threshold {}</text>)",
                       kRight - 2, plot.y(*s.threshold) - 4, threshold)
        << "\n";
  out << "</svg>\n";

  const auto busiest = std::max_element(s.counts.begin(), s.counts.end());
  std::string caption = html_escape(what);
  if (busiest != s.counts.end())
    caption += fmt::format(", highest {} ({})", highest,
                           bucket_label(s.buckets, static_cast<size_t>(busiest - s.counts.begin())));
  if (s.threshold)
    caption += highest >= threshold ? fmt::format("; reaches its threshold of {}", threshold)
                                    : fmt::format("; never reaches its threshold of {}", threshold);
  if (s.cap && highest >= *s.cap) caption += fmt::format(" (capped at {})", *s.cap);
  if (s.buckets.bucket_days > 1) caption += fmt::format("; one bar per {} days", s.buckets.bucket_days);
  out << "<figcaption>" << caption << ".</figcaption>\n</figure>\n";
}

void write_failure_chart(const FailureTimeline& f, std::ostream& out) {
  std::vector<uint64_t> stacked(f.buckets.count, 0);
  for (const FailureSeries& s : f.series)
    for (size_t i = 0; i < stacked.size() && i < s.counts.size(); ++i) stacked[i] += s.counts[i];
  const uint64_t top = stacked.empty() ? 0 : *std::max_element(stacked.begin(), stacked.end());
  const Plot plot(f.buckets.count, static_cast<double>(top) * 1.1);

  out << R"(<figure class="timeline failures">)"
      << "\n";
  open_svg(out, "Failed client activation attempts per day, by error code");
  write_axes(out, plot, f.buckets, top);
  std::vector<uint64_t> below(f.buckets.count, 0);  // what the kinds drawn so far stack up to
  for (size_t k = 0; k < f.series.size(); ++k) {
    const FailureSeries& s = f.series[k];
    for (size_t i = 0; i < s.counts.size() && i < below.size(); ++i) {
      if (s.counts[i] == 0) continue;
      const double y_top = plot.y(static_cast<double>(below[i] + s.counts[i]));
      out << fmt::format(
                 R"(<rect class="k{}" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"><title>{}: {} {}</title></rect>)",
                 k, plot.x(i) + (plot.slot() - plot.bar_width()) / 2, y_top, plot.bar_width(),
                 plot.y(static_cast<double>(below[i])) - y_top, bucket_label(f.buckets, i), s.counts[i],
                 html_escape(s.code))
          << "\n";
      below[i] += s.counts[i];
    }
  }
  out << "</svg>\n<figcaption><ul class=\"legend\">\n";
  for (size_t k = 0; k < f.series.size(); ++k) {
    const FailureSeries& s = f.series[k];
    out << fmt::format(R"(<li><span class="swatch k{}"></span><code>{}</code>{} — {}</li>)", k, html_escape(s.code),
                       s.symbol.empty() ? "" : " " + html_escape(s.symbol), count_of(s.total, "attempt", "attempts"))
        << "\n";
  }
  out << "</ul>";
  if (f.buckets.bucket_days > 1) out << fmt::format("<p>One bar per {} days.</p>", f.buckets.bucket_days);
  out << "</figcaption>\n</figure>\n";
}

}  // namespace kmsdiag
