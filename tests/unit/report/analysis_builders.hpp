// Hand-built analyses for the report tests.
#pragma once

#include <string>
#include <utility>

#include "model/analysis.hpp"

namespace kmsdiag::testing {

inline Finding finding(std::string cause, Severity severity, std::string title) {
  Finding f;
  f.rule_id = cause + "-rule";
  f.cause = std::move(cause);
  f.severity = severity;
  f.title = std::move(title);
  f.explanation = "Because " + f.cause + ".";
  return f;
}

inline Evidence evidence(std::string path, uint64_t record, std::string machine, int64_t time) {
  return Evidence{SourceRef{std::move(path), "record", record, std::to_string(800 + record)}, time, std::move(machine),
                  "12288 0xC004F038 via kms1:1688"};
}

inline InputSummary read_input(std::string path, uint64_t records, uint64_t kms) {
  InputSummary in;
  in.path = std::move(path);
  in.format = "evtx";
  in.encoding = "binary";
  in.bytes = 69632;
  in.records = records;
  in.kms_records = kms;
  return in;
}

// Duplicate CMIDs (critical root cause) explaining a below-threshold symptom (error), with 41
// client machines and 41 evidence records of which 5 were kept; one damaged input, one skipped.
inline Analysis clone_analysis() {
  Analysis a;
  a.inputs.push_back(read_input("logs/Application.evtx", 1200, 82));
  InputSummary damaged = read_input("logs/Key Management Service.evtx", 40, 40);
  for (uint64_t i = 1; i <= 7; ++i)
    damaged.problems.push_back({SourceRef{damaged.path, "record", 40 + i, ""}, "truncated record"});
  a.inputs.push_back(damaged);
  InputSummary skipped;
  skipped.path = "logs/readme.pdf";
  skipped.skipped = "unrecognized format";
  a.inputs.push_back(skipped);
  a.records_total = 1240;
  a.kms_records_total = 122;
  a.ignored_events = {{"Application 1033", 800}, {"Security-SPP 16384", 300}, {"Application 1", 2}};

  Finding symptom = finding("below-threshold", Severity::error, "KMS count below the activation threshold");
  symptom.explained_by = {"duplicate-cmid"};
  symptom.evidence_total = 3;
  const int64_t t0 = utc_ms(2024, 3, 1, 8, 0, 0);
  for (uint64_t i = 0; i < 3; ++i)
    symptom.evidence.push_back(evidence("logs/Application.evtx", 10 + i, "PC" + std::to_string(i), t0 + i * 1000));

  Finding root = finding("duplicate-cmid", Severity::critical, "Cloned machines share one CMID");
  root.explains = {"below-threshold"};
  root.remediation = {"slmgr /rearm", "sysprep /generalize"};
  root.references = {"https://learn.microsoft.com/troubleshoot/windows-server/licensing-and-activation/kms-host-count"};
  for (uint64_t i = 0; i < 5; ++i)
    root.evidence.push_back(evidence("logs/Key Management Service.evtx", i + 1, "KMS1", t0 + i * 60000));
  root.evidence_total = 41;
  for (int i = 0; i < 5; ++i) root.machines.push_back("CLONE" + std::to_string(i));
  root.machine_total = 41;
  root.first_ms = t0;
  root.last_ms = t0 + 4 * 60000;
  root.facts = {{"cmid", "dup-cmid"}, {"machine_count", "41"}};
  root.lists = {{"cmid", {"cmid-a", "cmid-b"}}};

  Finding note = finding("no-dns-check", Severity::info, "DNS was not checked");
  a.findings = {symptom, note, root};  // deliberately not in presentation order
  return a;
}

inline Analysis healthy_analysis() {
  Analysis a;
  a.inputs.push_back(read_input("ec2-client-Application.evtx", 807, 4));
  a.records_total = 807;
  a.kms_records_total = 4;
  return a;
}

}  // namespace kmsdiag::testing
