#!/usr/bin/env python3
"""Writes the hostile inputs of issue 10 for measuring kmsdiag's memory (/usr/bin/time -v) by hand.

    python3 tests/tools/make_hostile_inputs.py OUT_DIR

OUT_DIR/nested.zip      stored zips nested 8,000 deep around one event
OUT_DIR/damaged.zip     9,999 members whose deflate data is garbage (one problem each)
OUT_DIR/channels.xml    2,000,000 events, each in a channel of its own (ignored-event kinds)
OUT_DIR/nslookup.txt    one nslookup answer listing 1,000 targets of 60 KB names
OUT_DIR/files/          50,000 files of one event each
OUT_DIR/host.zip        a 3,000-event host log, deflated about 20:1
"""
import pathlib
import random
import sys
import zipfile

EVENT = ("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
         "<Provider Name='Microsoft-Windows-Security-SPP'/><EventID>{id}</EventID>"
         "<TimeCreated SystemTime='2024-03-01T08:{m:02d}:{s:02d}.0000000Z'/><EventRecordID>{n}</EventRecordID>"
         "<Channel>{channel}</Channel><Computer>PC{n}</Computer></System>"
         "<EventData><Data>{data}</Data></EventData></Event>\n")


def event(n, channel="Application", id=902, data="10.0.22621.2428"):
    return EVENT.format(id=id, m=n // 60 % 60, s=n % 60, n=n, channel=channel, data=data)


def nested(path, depth):
    import io
    blob = event(1).encode()
    name = "app.xml"
    for _ in range(depth):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
            z.writestr(name, blob)
        blob, name = buf.getvalue(), "inner.zip"
    path.write_bytes(blob)


def damaged(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(members):
            z.writestr(f"m{i}.xml", event(i))
    data = bytearray(path.read_bytes())
    pos = 0
    while (pos := data.find(b"PK\x03\x04", pos)) >= 0:  # overwrite each member's deflate data
        name_len = int.from_bytes(data[pos + 26:pos + 28], "little")
        start = pos + 30 + name_len
        data[start:start + 8] = b"\xff" * 8
        pos = start + 8
    path.write_bytes(bytes(data))


def host_log():
    random.seed(1)
    return "".join(event(i, "Key Management Service", 12290,
                         f"0x00000000,25,PC-{i % 500:04d}.corp.contoso.com,{random.getrandbits(32):08x}-bb5e-453d-"
                         "b2a7-cae9df327560,2024/3/15 7:43,0,2,30237,e0c42288-980c-4788-a014-c080d2e1926e")
                   for i in range(3000))


def main():
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    nested(out / "nested.zip", 8000)
    damaged(out / "damaged.zip", 9999)
    with open(out / "channels.xml", "w") as f:
        for i in range(2_000_000):
            f.write(event(i, f"Channel-{i}", 1033))
    answer = "".join(f"_vlmcs._tcp.corp.example\tSRV service location:\n\tpriority = 0\n\tweight = 0\n"
                     f"\tport = 1688\n\tsvr hostname = {'k' * 60000}{i}.corp.example\n" for i in range(1000))
    (out / "nslookup.txt").write_text("Server:  dns.corp.example\nAddress:  10.0.0.1\n\n" + answer)
    files = out / "files"
    files.mkdir(exist_ok=True)
    for i in range(50_000):
        (files / f"{i:05d}.xml").write_text(event(i))
    with zipfile.ZipFile(out / "host.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("host/kms.xml", host_log())


if __name__ == "__main__":
    main()
