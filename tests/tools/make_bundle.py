#!/usr/bin/env python3
"""Writes samples/customer-bundle/: the zip a branch office sends to support, expected.yaml and README.md.

The story: 30 Windows 11 PCs of branch.contoso.com get 0xC004F038. DNS still publishes the retired
KMS-OLD next to KMS01, so the clients split between the two hosts and neither reaches 25. No single
file shows it: KMS01's own log and `slmgr /dlv` show a low count, PC-02 (EVTX) talks to KMS01,
PC-JP-01 (Japanese Event Viewer CSV) talks to KMS-OLD, and nslookup lists both hosts.

    python3 tests/tools/make_bundle.py [--out samples/customer-bundle]

The fleet is simulated with make_samples.py's machines and KMS exchange, then each log is written
in the form the customer exported it: EVTX (gen_evtx.build_log), Event Viewer "Save as CSV" from a
Japanese Windows (CP932, local time), a "Copy details as text" block pasted into a mail, and the
text output of slmgr and nslookup as saved by cmd (`>`: OEM code page) or PowerShell 5.1 (`>`:
UTF-16LE with BOM). Deterministic: fixed seed, fixed calendar, fixed zip timestamps.
"""

import argparse
import datetime as dt
import io
import pathlib
import sys
import zipfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import gen_evtx  # noqa: E402
import make_samples as ms  # noqa: E402

DOMAIN = "branch.contoso.com"
JST = dt.timedelta(hours=9)  # PC-JP-01 runs in Japan; Event Viewer saves its local time without offset
ZIP_TIME = (2024, 3, 15, 17, 5, 0)


# ---------------------------------------------------------------------------------------------
# The fleet


def simulate():
    """Runs the branch for the last 30 hours; returns the fleet, the hosts and the named clients."""
    f = ms.Fleet("customer-bundle", 211, domain=DOMAIN)
    kms01 = ms.Host(f, "KMS01", positional=True)
    old = ms.Host(f, "KMS-OLD", log=False)  # retired, still running and still in DNS; no log was sent
    names = ["PC-JP-01"] + [f"PC-{k:02d}" for k in range(2, 31)]
    clients = {n: ms.Client(f, n, "win-ent") for n in names}
    # DNS hands out both SRV records; which host a client settles on is a coin toss it keeps.
    others = [n for n in names if n not in ("PC-02", "PC-JP-01", "PC-07")]
    to_old = {"PC-JP-01", "PC-07"} | set(f.rng.sample(others, 11))
    start = f.end - dt.timedelta(days=1, hours=6)
    for n in ("PC-JP-01", "PC-02", "PC-07"):
        f.client_log(clients[n])
        f.noise(clients[n].log, start, f.end, 10)
    for c in clients.values():
        c.installed = start - dt.timedelta(days=f.rng.uniform(2, 8))
    pending = sorted(((f.jitter(start, 180), c) for c in clients.values()), key=lambda e: e[0])
    while pending:
        t, c = pending.pop(0)
        ms.exchange(c, old if c.name in to_old else kms01, t)
        nxt = t + ms.RETRY * 3 + dt.timedelta(minutes=f.rng.randint(0, 30))
        if nxt < f.end:
            pending.append((nxt, c))
            pending.sort(key=lambda e: e[0])
    return f, kms01, old, clients


# ---------------------------------------------------------------------------------------------
# EVTX


def evtx_bytes(log):
    """The log as Windows writes it. Classic providers without a GUID (MsiInstaller, SecurityCenter)
    are left out: gen_evtx's Event template always carries a provider GUID."""
    timed = []
    for e in sorted(log.events, key=lambda e: e.time):
        if not e.provider[1]:
            continue
        if e.named:
            data = [(k, gen_evtx.STRING, gen_evtx.s(v), False) for k, v in e.data]
        else:
            data = [(None, gen_evtx.STRING, gen_evtx.s(v), False) for v in e.data]
        event = gen_evtx.Event(e.provider, e.source, e.channel, e.computer, e.event_id, int(e.qualifiers or 0),
                               e.level, data)
        unix = int((e.time - dt.datetime(1970, 1, 1)).total_seconds())
        timed.append((event, gen_evtx.filetime(unix, e.time.microsecond * 10)))
    return gen_evtx.build_log(timed)


# ---------------------------------------------------------------------------------------------
# Japanese Event Viewer "Save as CSV"

JA_LEVEL = {2: "エラー", 3: "警告", 4: "情報"}
JA_SPP_MESSAGE = {
    12288: "クライアントはキー管理サービス コンピューターにライセンス認証要求を送信しました。\r\n情報:\r\n{0}",
    12289: "クライアントはキー管理サービス コンピューターからのライセンス認証応答を処理しました。\r\n情報:\r\n{0}",
    8198: "ライセンス認証 (slui.exe) が次のエラー コードで失敗しました:\r\n{0}\r\nコマンド ライン引数:\r\n{1}",
    16384: "{0} にソフトウェア保護サービスの再起動をスケジュールしました。理由: {1}。",
    1003: "ソフトウェア保護サービスは、次のライセンス認証 ID のライセンスの状態の確認を完了しました:\r\n{0}, {1}",
    900: "ソフトウェア保護サービスを開始しています。\r\n{0}",
    902: "ソフトウェア保護サービスが開始されました。\r\n{0}",
}


def ja_message(e):
    name = e.provider[0]
    if "Security-SPP" in name:
        return "Security-SPP", JA_SPP_MESSAGE[e.event_id].format(*e.data)
    if name == "SecurityCenter":
        return name, f"{e.data[0]} の状態が {e.data[1]} に正常に更新されました。"
    if name == "MsiInstaller":
        return name, (f"Windows インストーラーにより製品が再構成されました。製品名: {e.data[0]}。製品のバージョン: "
                      f"{e.data[1]}。製品の言語: {e.data[2]}。製品の製造元: {e.data[4]}。再構成の成功またはエラーの"
                      f"状態: {e.data[3]}。")
    if "RestartManager" in name:
        return "RestartManager", f"セッション {dict(e.data)['RmSessionId']} が開始されました ({dict(e.data)['UTCStartTime']})。"
    return "Winlogon", f"{dict(e.data)['SubscriberName']} サービスへの通知を処理しています。"


def csv_field(value):
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\r\n') else value


def ja_csv_bytes(log):
    """Newest first, as the viewer lists them; five named columns and the description unnamed."""
    rows = ["レベル,日付と時刻,ソース,イベント ID,タスクのカテゴリ"]
    for e in sorted(log.events, key=lambda e: e.time, reverse=True):
        local = e.time + JST
        source, message = ja_message(e)
        stamp = f"{local:%Y/%m/%d} {local.hour}:{local:%M:%S}"
        rows.append(",".join([JA_LEVEL[e.level], stamp, source, str(e.event_id), "なし", csv_field(message)]))
    return ("\r\n".join(rows) + "\r\n").encode("cp932")


# ---------------------------------------------------------------------------------------------
# Command output


def us_time(t):
    """A time as en-US Windows prints it: 3/15/2024 4:40:00 PM."""
    return f"{t.month}/{t.day}/{t.year} {t.hour % 12 or 12}:{t:%M:%S} {'PM' if t.hour >= 12 else 'AM'}"


def slmgr_dlv_host(kms01, end):
    """`slmgr /dlv > slmgr-dlv.txt` in PowerShell 5.1 on KMS01 (cscript's output, re-encoded UTF-16LE)."""
    requests = kms01.log.events
    count = kms01.count(end)
    lines = [
        "Software licensing service version: 10.0.17763.5576", "",
        "Name: Windows(R), ServerStandard edition",
        "Description: Windows(R) Operating System, VOLUME_KMS_WS19 channel",
        f"Activation ID: {ms.SKU['ws2019-std']}",  # the edition's SKU; the CSVLK shows as VOLUME_KMS_WS19
        "Application ID: 55c92734-d682-4d71-983e-d6ec3f16059f",
        "Extended PID: 03612-04608-000-000000-03-1033-17763.0000-0452024",
        "Product Key Channel: Volume:CSVLK",
        "Installation ID: 410271856024138296453771063725411739126812034615520177219163185",
        "Use License URL: https://activation-v2.sls.microsoft.com/SLActivateProduct/SLActivateProduct.asmx?configext"
        "ension=Retail",
        "Validation URL: https://validation-v2.sls.microsoft.com/SLWGA/slwga.asmx",
        "Partial Product Key: 7QXJ4",
        "License Status: Licensed",
        "Remaining Windows rearm count: 1000",
        "Remaining SKU rearm count: 1000",
        f"Trusted time: {us_time(end)}", "",
        "Key Management Service is enabled on this machine",
        f"    Current count: {count}",
        "    Listening on Port: 1688",
        "    DNS publishing enabled",
        "    KMS priority: Normal", "",
        "Key Management Service cumulative requests received from clients",
        f"    Total requests received: {len(requests)}",
        "    Failed requests received: 0",
        "    Requests with License Status Unlicensed: 0",
        "    Requests with License Status Licensed: 0",
        f"    Requests with License Status Initial grace period: {len(requests)}",
        "    Requests with License Status License expired or Hardware out of tolerance: 0",
        "    Requests with License Status Non-genuine grace period: 0",
        "    Requests with License Status Notification: 0",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-16")  # Python writes the BOM, little-endian


def slmgr_dli_ja(client, end):
    """`slmgr /dli > slmgr-dli.txt` in cmd on PC-JP-01: cscript writes the OEM code page, CP932."""
    status, left = client.state(end)
    assert status == 2, "PC-JP-01 is expected to be in its initial grace period"
    lines = [
        "名前: Windows(R), Enterprise edition",
        "説明: Windows(R) Operating System, VOLUME_KMSCLIENT channel",
        "部分的なプロダクト キー: 2YT43",
        "ライセンスの状態: 初期猶予期間",
        f"残り時間: {left} 分 ({left // 1440} 日)",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


def nslookup_srv(kms01, old):
    """`nslookup -type=srv _vlmcs._tcp.branch.contoso.com > nslookup.txt` on PC-02 (cmd)."""
    lines = ["Server:  dc01.branch.contoso.com", "Address:  10.40.0.10", ""]
    for host in (kms01, old):
        lines += [f"_vlmcs._tcp.{DOMAIN}\tSRV service location:", "          priority       = 0",
                  "          weight         = 0", "          port           = 1688",
                  f"          svr hostname   = {host.fqdn.lower()}"]
    lines += [f"{kms01.fqdn.lower()}\tinternet address = 10.40.0.21",
              f"{old.fqdn.lower()}\tinternet address = 10.40.0.9"]
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


# ---------------------------------------------------------------------------------------------
# The ticket


def copy_details(e):
    """Event Viewer's "Copy details as text" of one 8198 event, as pasted into a mail."""
    return "\r\n".join([
        "Log Name:      Application",
        "Source:        Microsoft-Windows-Security-SPP",
        f"Date:          {us_time(e.time)}",  # PC-07 runs on UTC like the rest of the branch
        f"Event ID:      {e.event_id}",
        "Task Category: None",
        "Level:         Error",
        "Keywords:      Classic",
        "User:          N/A",
        f"Computer:      {e.computer}",
        "Description:",
        "License Activation (slui.exe) failed with the following error code:",
        e.data[0],
        "Command-line arguments:",
        e.data[1],
    ])


def ticket(client):
    last_failure = max((e for e in client.log.events if e.event_id == 8198), key=lambda e: e.time)
    text = "\r\n".join([
        "Subject: Windows activation fails at the branch office (0xC004F038)",
        "",
        "Hello support,",
        "",
        "since yesterday the new Windows 11 PCs at our branch office do not activate. They all show error",
        "0xC004F038. Our KMS server is KMS01 and it was activated last week. We attached the event logs of",
        "KMS01 and two PCs, slmgr output and nslookup. Below is the event from PC-07 (user's PC).",
        "",
        copy_details(last_failure),
        "",
        "Best regards,",
        "Kenji Sato, IT branch office",
    ]) + "\r\n"
    return text.encode("utf-8")


NOTES = """Branch office activation problem - what we tried
- slmgr /ato on PC-02 and PC-07: 0xC004F038 again
- restarted Software Protection service on KMS01
- KMS01 is Windows Server 2019, CSVLK installed 2024-02-28
- the old KMS server was shut down last year (we think)
"""

# A screenshot a user attached: a valid 1x1 PNG, nothing kmsdiag can read.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


def bundle(f, kms01, old, clients):
    """(path inside the zip, bytes, format kmsdiag must read it as or "-" to skip it), in the order the
    customer zipped them."""
    return [
        ("KMS01/Key Management Service.evtx", evtx_bytes(kms01.log), "evtx"),
        ("KMS01/slmgr-dlv.txt", slmgr_dlv_host(kms01, f.end), "slmgr-text"),
        ("PC-JP-01/Application.csv", ja_csv_bytes(clients["PC-JP-01"].log), "event-csv"),
        ("PC-JP-01/slmgr-dli.txt", slmgr_dli_ja(clients["PC-JP-01"], f.end), "slmgr-text"),
        ("PC-02/Application.evtx", evtx_bytes(clients["PC-02"].log), "evtx"),
        ("nslookup.txt", nslookup_srv(kms01, old), "nslookup-srv"),
        ("ticket.txt", ticket(clients["PC-07"]), "pasted-event"),
        ("notes.txt", NOTES.replace("\n", "\r\n").encode("ascii"), "-"),
        ("screenshot.png", PNG, "-"),
    ]


def zip_bytes(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data, _ in files:
            info = zipfile.ZipInfo("customer-export/" + name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data, compresslevel=9)
    return out.getvalue()


STORY = ("Branch office PCs get 0xC004F038: DNS still publishes the retired KMS-OLD next to KMS01, the 30 clients "
         "split 17/13 between them and neither host reaches 25 (EVTX, Japanese CSV, slmgr, nslookup and a ticket "
         "in one zip).")
# One count finding from the clients, KMS01's log and its slmgr /dlv; never-activated once for PC-02 and once
# for PC-JP-01 (its CSV and its slmgr /dli, in one folder).
EXPECT = [ms.cause("count-split-across-hosts"),
          ms.cause("count-below-threshold", "count-split-across-hosts", findings=1),
          ms.cause("never-activated", "count-below-threshold", findings=2)]

README = """# Customer bundle: branch office clients fail with 0xC004F038

`customer-export.zip` is what the branch office's IT contact sent with the ticket: a folder per machine,
the command output they were asked for, and two files of their own. `expected.yaml` lists what
`kmsdiag analyze customer-export.zip` must find and, under `inputs`, how each file in the zip must be
read (`-`: skipped); `ctest -R scenario.customer-bundle` checks both. The zip, expected.yaml and this README are
written by `tests/tools/make_bundle.py` (deterministic); edit the generator, not the files. Names,
CMIDs and times are invented.

## The story

The branch (branch.contoso.com) got 30 new Windows 11 Enterprise PCs. KMS01 (Windows Server 2019, CSVLK)
was set up the week before; the old KMS host KMS-OLD was "shut down last year" but still runs and its
`_vlmcs._tcp` SRV record is still in the zone. Each client picks one of the two published hosts, so
KMS01 counts {kms01} clients and KMS-OLD {old}: neither reaches the 25 that Windows clients need, and every
client gets 0xC004F038. No single file shows this:

- KMS01's own log and `slmgr /dlv` only show a count of {kms01}: "too few clients" (count-below-threshold);
- PC-02 (EVTX) talks to KMS01 and is told count {kms01}, PC-JP-01 (Japanese CSV) talks to **KMS-OLD** and
  is told count {old}: two hosts answer the same fleet (count-split-across-hosts, which explains the low count);
- `nslookup` shows both SRV records, which is why (the fix: delete KMS-OLD's record, `slmgr /upk` on it);
- both PCs, and PC-JP-01's `slmgr /dli`, are still in the initial grace period (never-activated).

## Files in the zip (`customer-export/`)

| file | how it was produced | read as |
|---|---|---|
| `KMS01/Key Management Service.evtx` | `wevtutil epl "Key Management Service" "Key Management Service.evtx"` on KMS01 | evtx: {kms01_events} 12290 events |
| `KMS01/slmgr-dlv.txt` | `cscript //nologo C:\\Windows\\System32\\slmgr.vbs /dlv > slmgr-dlv.txt` in Windows PowerShell 5.1 (UTF-16LE with BOM) | slmgr-text: Windows Server 2019 CSVLK, Current count {kms01} |
| `PC-JP-01/Application.csv` | Event Viewer, Application log, "Save All Events As..." CSV on a Japanese Windows 11 (CP932, local time JST without offset, newest first, no computer name) | event-csv: 12288/12289/8198 and noise |
| `PC-JP-01/slmgr-dli.txt` | `cscript //nologo slmgr.vbs /dli > slmgr-dli.txt` in cmd (CP932, Japanese labels) | slmgr-text: initial grace period |
| `PC-02/Application.evtx` | `wevtutil epl Application Application.evtx` on PC-02 | evtx: 12288/12289/8198 and noise |
| `nslookup.txt` | `nslookup -type=srv _vlmcs._tcp.branch.contoso.com > nslookup.txt` in cmd on PC-02 | nslookup-srv: 2 SRV records (kms01, kms-old) |
| `ticket.txt` | the customer's mail, with Event Viewer "Copy details as text" of PC-07's 8198 (0xC004F038) pasted in | pasted-event: one 8198 |
| `notes.txt` | the customer's own notes | skipped: text in no format kmsdiag knows |
| `screenshot.png` | a user's screenshot (1x1 PNG) | skipped: binary data in no format kmsdiag knows |

Known limits this bundle shows: the Japanese CSV has no computer column, so PC-JP-01's attempts carry no
machine name (the report calls it "the machine whose output is in …/PC-JP-01/", the folder of its CSV and
slmgr output), and its JST times are read as if UTC (9 hours late); neither changes the
findings because KMS-OLD's log, the only one that would be joined with them, was not sent.
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = pathlib.Path(__file__).resolve().parents[2] / "samples" / "customer-bundle"
    parser.add_argument("--out", default=str(default))
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    f, kms01, old, clients = simulate()
    files = bundle(f, kms01, old, clients)
    data = zip_bytes(files)
    (out / "customer-export.zip").write_bytes(data)
    inputs = ", ".join(f"{name}={fmt}" for name, _, fmt in files)
    (out / "expected.yaml").write_text(ms.expected_yaml(STORY, EXPECT, []) + f"inputs: [{inputs}]\n")
    (out / "README.md").write_text(README.format(kms01=kms01.count(f.end), old=old.count(f.end),
                                                 kms01_events=len(kms01.log.events)))
    for name, content, _ in files:
        print(f"{name}: {len(content)} bytes")
    print(f"customer-export.zip: {len(data)} bytes; KMS01 count {kms01.count(f.end)}, KMS-OLD count {old.count(f.end)}")


if __name__ == "__main__":
    main()
