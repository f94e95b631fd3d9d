#!/usr/bin/env python3
"""kmsdiag as a shell runs it (issue 10). One case per run: check_cli.py --kmsdiag BIN --rules DIR --samples DIR CASE.

A stream (standard input as "-", /dev/stdin, <(...), a FIFO) must give the same analysis as the file it carries:
the file used to be opened twice and its first block lost. An output that cannot be written must fail with
exit 74 (`check`: UNKNOWN, 3) and one line on stderr. --jobs beyond what is sensible is capped with a note.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading

HOST_LOG = "count-below-threshold/host/Key Management Service.xml"
BUNDLE = "customer-bundle/customer-export.zip"


def run(args, opts, **kw):
    return subprocess.run([opts.kmsdiag, "--rules", opts.rules] + args, capture_output=True, timeout=50, **kw)


def shape(proc):
    """What must not depend on how the input arrived: exit code, records per input, findings."""
    report = json.loads(proc.stdout)
    return (proc.returncode, [i["records"] for i in report["inputs"]],
            sorted((f["cause"], f["evidence_total"]) for f in report["findings"]))


def fail(text):
    print("FAIL: " + text)
    sys.exit(1)


def same_as_file(opts, relative, run_stream):
    path = os.path.join(opts.samples, relative)
    want = shape(run(["analyze", path, "--format", "json"], opts))
    got_proc = run_stream(path)
    got = shape(got_proc)
    if got != want:
        fail(f"read as a stream: {got}\nread as a file: {want}\nstderr: {got_proc.stderr.decode()}")
    if want[1] == [] or sum(want[1]) == 0:
        fail("the sample holds no records: the comparison proves nothing")


def piped(opts, name):
    def go(path):
        with open(path, "rb") as f:
            data = f.read()
        return run(["analyze", name, "--format", "json"], opts, input=data)  # a pipe, not a file redirection
    return go


def process_substitution(opts):
    def go(path):
        script = '"$1" --rules "$2" analyze <(cat "$3") --format json'
        return subprocess.run(["bash", "-c", script, "_", opts.kmsdiag, opts.rules, path], capture_output=True,
                              timeout=50)
    return go


def fifo(opts):
    def go(path):
        with tempfile.TemporaryDirectory() as tmp:
            name = os.path.join(tmp, "host.xml")
            os.mkfifo(name)

            def write():
                with open(path, "rb") as src, open(name, "wb") as dst:  # open() waits for the reader
                    dst.write(src.read())
            writer = threading.Thread(target=write)
            writer.start()
            proc = run(["analyze", name, "--format", "json"], opts)
            writer.join()
            return proc
    return go


def output_full(opts):
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([opts.kmsdiag, "--rules", opts.rules, "analyze", os.path.join(opts.samples, HOST_LOG)],
                              stdout=full, stderr=subprocess.PIPE, timeout=50)
    err = proc.stderr.decode()
    if proc.returncode != 74 or err.strip().splitlines()[-1] != "kmsdiag: cannot write the output: No space left on device":
        fail(f"exit {proc.returncode}, stderr: {err}")


def closed_stdout(opts, args, want_rc):
    script = '"$@" >&-'
    proc = subprocess.run(["sh", "-c", script, "_", opts.kmsdiag, "--rules", opts.rules] + args, capture_output=True,
                          timeout=50)
    err = proc.stderr.decode()
    if proc.returncode != want_rc or "kmsdiag: cannot write the output: standard output is closed" not in err:
        fail(f"exit {proc.returncode} (want {want_rc}), stderr: {err}")
    return proc


def check_output_closed(opts):
    with tempfile.TemporaryDirectory() as tmp:
        prom = os.path.join(tmp, "check.prom")
        # Nothing listens on 127.0.0.1:9 (discard): the check is CRITICAL, but its status line is lost.
        closed_stdout(opts, ["check", "corp.example", "--server", "127.0.0.1:9", "--timeout-ms", "100",
                             "--deadline-ms", "500", "--prometheus", prom], 3)
        with open(prom) as f:
            text = f.read()
        # A textfile that took the closed descriptor would hold the status line too.
        if any(line.startswith("KMS ") for line in text.splitlines()) or "kmsdiag_check_status" not in text:
            fail("the Prometheus textfile holds:\n" + text)


def jobs_capped(opts):
    path = os.path.join(opts.samples, "count-below-threshold")
    want = shape(run(["analyze", path, "--format", "json"], opts))
    proc = run(["analyze", path, "--format", "json", "--jobs", "40000"], opts)
    if shape(proc) != want:
        fail(f"--jobs 40000: exit {proc.returncode}, stderr: {proc.stderr.decode()}")
    if "kmsdiag: --jobs 40000: at most 64 inputs are read at once; using 64" not in proc.stderr.decode():
        fail("no note about the cap: " + proc.stderr.decode())


def xml_ranges_any_jobs(opts):
    """One event XML file bigger than many ranges (256 KiB each), with damage sprinkled near where ranges
    end, read with --jobs 1 and --jobs 2: the JSON report and stderr must be the same bytes. The same
    log in UTF-16 (decoded before the ranges are cut) too, and it must find what the UTF-8 file finds."""
    gen = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench", "gen_event_xml.py")
    with tempfile.TemporaryDirectory() as work:
        clean = os.path.join(work, "clean.xml")
        for mode, size in (("client", "3M"), ("kms", "2M")):
            part = os.path.join(work, mode + ".xml")
            subprocess.run([sys.executable, gen, "--mode", mode, "--size", size, part], check=True, timeout=50)
            with open(part, "rb") as f, open(clean, "ab") as out:
                out.write(f.read())
        with open(clean, "rb") as f:
            data = f.read()
        # Every ~300 KB: an event cut short, a malformed one and unrecognized bytes, so some sit at a boundary.
        pieces, at = [], 0
        while at < len(data):
            nxt = data.find(b"<Event ", at + 300_000)
            if nxt < 0:
                break
            pieces += [data[at:nxt], b"garbage\n", b"<Event xmlns='x'><System><EventID>12288</EventID>",
                       b"<Event><System></Sys></Event>\n"]
            at = nxt
        pieces.append(data[at:])
        damaged = os.path.join(work, "damaged.xml")
        with open(damaged, "wb") as f:
            f.write(b"".join(pieces))
        utf16 = os.path.join(work, "utf16.xml")
        with open(utf16, "wb") as f:
            f.write(b"".join(pieces).decode("utf-8").encode("utf-16"))
        for path in (damaged, utf16):
            runs = [run(["analyze", path, "--format", "json", "--jobs", str(j)], opts) for j in (1, 2)]
            if runs[0].returncode > 3:
                fail(f"{path}: exit {runs[0].returncode}: {runs[0].stderr.decode()[:500]}")
            if b"truncated event XML" not in runs[0].stderr or b"malformed event XML" not in runs[0].stderr:
                fail("the damage was not reported: " + runs[0].stderr.decode()[:500])
            for what in ("stdout", "stderr"):
                if getattr(runs[0], what) != getattr(runs[1], what):
                    fail(f"{os.path.basename(path)}: --jobs 1 and --jobs 2 differ on {what}")
        if shape(run(["analyze", damaged, "--format", "json"], opts)) != shape(run(["analyze", utf16, "--format", "json"], opts)):
            fail("the UTF-16 file does not give what the UTF-8 file gives")


def ignored_kinds_any_jobs(opts):
    """Events of more kinds than a report names (1,000; the rest are "other kinds"), in an event XML file
    of several ranges read on two threads, each range counted on its own: the kinds named must be the
    first ones in the file, as one thread counting them in turn names them, whatever the ranges' bounds.
    The kinds come in reverse alphabetical order, so counting a range's kinds in any other order than
    they came names others."""
    ns = "http://schemas.microsoft.com/win/2004/08/events/event"
    events = []
    for i in range(1500, 0, -1):
        events.append(
            f"<Event xmlns='{ns}'><System><Provider Name='Vendor-App'/><EventID>7</EventID>"
            f"<TimeCreated SystemTime='2026-01-01T00:00:00.000Z'/><EventRecordID>{1501 - i}</EventRecordID>"
            f"<Channel>Channel-{i:05d}</Channel><Computer>PC-1</Computer></System>"
            f"<EventData><Data>{'x' * 400}</Data></EventData></Event>\n")
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "kinds.xml")
        with open(path, "w") as f:
            f.write("".join(events))
        if os.path.getsize(path) < 3 * 256 * 1024:
            fail("the file must span several ranges")
        runs = [run(["analyze", path, "--format", "json", "--jobs", str(j)], opts) for j in (1, 2)]
        kinds = [json.loads(r.stdout)["ignored_events"] for r in runs]
        if kinds[0] != kinds[1]:
            fail("--jobs 1 and --jobs 2 name different kinds of ignored events")
        named = sorted(k for k in kinds[0] if k.startswith("Channel-"))
        expected = sorted(f"Channel-{i:05d} 7" for i in range(1500, 500, -1))
        if named != expected:
            fail(f"named {len(named)} kinds, not the first 1,000 in the file: {named[:3]} ... {named[-3:]}")


def rules_option_after_subcommand(opts):
    """`kmsdiag rules validate --rules DIR` checks DIR, as `kmsdiag --rules DIR rules validate` does."""
    with tempfile.TemporaryDirectory() as tmp:
        broken = os.path.join(tmp, "rules")
        shutil.copytree(opts.rules, broken)
        rule = os.path.join(broken, "srv-service-declined-lookup.yaml")
        with open(rule) as f:
            text = f.read()
        with open(rule, "w") as f:
            f.write(text.replace("    status: unavailable", "    stauts: unavailable", 1))
        for args in (["rules", "validate", "--rules", broken], ["--rules", broken, "rules", "validate"]):
            proc = subprocess.run([opts.kmsdiag] + args, capture_output=True, timeout=50)
            if proc.returncode != 78 or "srv-service-declined-lookup.yaml:" not in proc.stderr.decode():
                fail(f"{args}: exit {proc.returncode}, stderr: {proc.stderr.decode()}")
        proc = subprocess.run([opts.kmsdiag, "rules", "validate", "--rules", opts.rules], capture_output=True,
                              timeout=50)
        if proc.returncode != 0 or b"are valid" not in proc.stdout:
            fail(f"the good rules after the subcommand: exit {proc.returncode}, stderr: {proc.stderr.decode()}")


def lying_zip():
    """A stored zip whose first member's local header claims the bytes up to the third member's header, so
    streaming never meets the second: only the central directory at the end still lists it."""
    import io
    import struct
    import zipfile
    event = (b"<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='x'/>"
             b"<EventID>1</EventID></System></Event>\n")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name in ("a.xml", "b.xml", "c.xml"):
            z.writestr(name, event)
    data = bytearray(buf.getvalue())
    a = data.find(b"PK\x03\x04")
    c = data.find(b"PK\x03\x04", data.find(b"PK\x03\x04", a + 4) + 4)
    swallowed = c - a - 30 - len("a.xml")
    data[a + 18:a + 26] = struct.pack("<II", swallowed, swallowed)
    return bytes(data)


def zip_hidden_member_any_way(opts):
    """The central directory is read from the stream: a member hidden by a lying local header is reported
    for a zip on disk, on standard input and inside another zip alike (issue 10 item 17)."""
    import io
    import zipfile
    zip_bytes = lying_zip()
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("PC1/logs.zip", zip_bytes)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "lying.zip")
        nested = os.path.join(d, "bundle.zip")
        with open(path, "wb") as f:
            f.write(zip_bytes)
        with open(nested, "wb") as f:
            f.write(outer.getvalue())
        ways = {
            "file": run(["analyze", path, "--format", "json"], opts),
            "stdin": run(["analyze", "-", "--format", "json"], opts, input=zip_bytes),
            "nested": run(["analyze", nested, "--format", "json"], opts),
        }
        for way, proc in ways.items():
            problems = [p for i in json.loads(proc.stdout)["inputs"] for p in i["problems"]]
            if not any("lists 'b.xml', which its local header hides" in json.dumps(p) for p in problems):
                fail(f"{way}: no problem names the hidden b.xml: {problems}\nstderr: {proc.stderr.decode()}")
            if proc.returncode not in (2, 3):
                fail(f"{way}: exit {proc.returncode}, not an input problem (2 or 3)")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--kmsdiag", required=True)
    p.add_argument("--rules", required=True)
    p.add_argument("--samples", required=True)
    p.add_argument("case")
    opts = p.parse_args()
    cases = {
        "stdin_dash": lambda: same_as_file(opts, HOST_LOG, piped(opts, "-")),
        "dev_stdin": lambda: same_as_file(opts, HOST_LOG, piped(opts, "/dev/stdin")),
        "process_substitution": lambda: same_as_file(opts, HOST_LOG, process_substitution(opts)),
        "fifo_with_writer": lambda: same_as_file(opts, HOST_LOG, fifo(opts)),
        "zip_on_stdin": lambda: same_as_file(opts, BUNDLE, piped(opts, "-")),
        "zip_hidden_member_any_way": lambda: zip_hidden_member_any_way(opts),
        "jobs_capped": lambda: jobs_capped(opts),
        "xml_ranges_any_jobs": lambda: xml_ranges_any_jobs(opts),
        "ignored_kinds_any_jobs": lambda: ignored_kinds_any_jobs(opts),
        "output_full": lambda: output_full(opts),
        "output_closed": lambda: closed_stdout(opts, ["analyze", os.path.join(opts.samples, HOST_LOG)], 74),
        "check_output_closed": lambda: check_output_closed(opts),
        "rules_option_after_subcommand": lambda: rules_option_after_subcommand(opts),
    }
    cases[opts.case]()
    print("ok")


if __name__ == "__main__":
    main()
